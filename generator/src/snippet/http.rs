//! An HTTP request as Graph's documentation and Graph Explorer write it: a request line with an absolute or relative
//! URL, headers, a blank line, and an optional body.

use crate::model::Method;

use super::Refusal;

/// A request to write a snippet for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Its method.
    pub method: Method,
    /// Its URL, absolute (`https://graph.microsoft.com/v1.0/me`) or relative (`/v1.0/me`, `/me`), query included.
    pub url: String,
    /// Its headers, in order.
    pub headers: Vec<(String, String)>,
    /// Its body, when it has one (bytes: an upload need not be text).
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    /// Parses `GET https://graph.microsoft.com/v1.0/me HTTP/1.1`, header lines, a blank line and the body.
    ///
    /// # Errors
    ///
    /// When the request line is missing or malformed, or a header line has no `:`.
    pub fn parse(text: &str) -> Result<Self, Refusal> {
        let text = text.trim_start_matches('\u{feff}');
        let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let request_line = lines
            .by_ref()
            .find(|l| !l.trim().is_empty())
            .ok_or_else(|| Refusal::new("the request is empty: expected `METHOD URL` on its first line"))?;
        // The URL is everything between the method and an optional `HTTP/1.1`: documentation writes queries with
        // spaces as they are (`$filter=userType eq 'guest'`).
        let (method, url) = request_line
            .trim()
            .split_once(char::is_whitespace)
            .map(|(m, rest)| {
                let rest = rest.trim();
                let url = match rest.rsplit_once(char::is_whitespace) {
                    Some((url, version)) if version.to_ascii_uppercase().starts_with("HTTP/") => url.trim_end(),
                    _ => rest,
                };
                (m, url)
            })
            .filter(|(_, url)| !url.is_empty())
            .ok_or_else(|| Refusal::new(format!("`{request_line}` is not a request line: expected `METHOD URL`")))?;
        let method = Method::from_upper(&method.to_ascii_uppercase())
            .ok_or_else(|| Refusal::new(format!("`{method}` is not an HTTP method")))?;
        let mut headers = Vec::new();
        for line in lines.by_ref() {
            if line.trim().is_empty() {
                break;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| Refusal::new(format!("`{line}` is not a header: expected `Name: value`")))?;
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
        let rest: Vec<&str> = lines.collect();
        let body = rest.join("\n");
        let body = (!body.trim().is_empty()).then(|| body.trim().as_bytes().to_vec());
        Ok(HttpRequest { method, url: url.to_owned(), headers, body })
    }

    /// The value of the header `name` (without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_headers_and_bodies() {
        let r = HttpRequest::parse(
            "POST https://graph.microsoft.com/v1.0/users/1/sendMail HTTP/1.1\r\nContent-type: application/json\r\n\r\n{\r\n  \"a\": 1\r\n}\r\n",
        )
        .unwrap();
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.url, "https://graph.microsoft.com/v1.0/users/1/sendMail");
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.body.as_deref(), Some(&b"{\n  \"a\": 1\n}"[..]));
        let r = HttpRequest::parse("GET /users?$filter=userType eq 'guest' HTTP/1.1").unwrap();
        assert_eq!(r.url, "/users?$filter=userType eq 'guest'");
        let r = HttpRequest::parse("GET /me/messages?$search=\"hello world\"").unwrap();
        assert_eq!(r.url, "/me/messages?$search=\"hello world\"");
        assert!(HttpRequest::parse("GET").is_err());
        let r = HttpRequest::parse("\nget /me\n").unwrap();
        assert_eq!((r.method, r.url.as_str(), r.body), (Method::Get, "/me", None));
        assert!(HttpRequest::parse("").is_err());
        assert!(HttpRequest::parse("FETCH /me").is_err());
        assert!(HttpRequest::parse("GET /me\nnot a header\n").is_err());
    }
}
