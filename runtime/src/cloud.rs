//! Microsoft Graph's national clouds: the global service and the separate deployments operated for the
//! US government and in China.

use std::fmt;

/// A Microsoft Graph deployment: the global service or a national cloud.
///
/// Each has its own root URL (so its own token audience and scopes) and its own set of available
/// operations; Microsoft's API reference lists, for each operation, the clouds it is available in,
/// using the [display names](Self::display_name) shown here.
///
/// Choose one with [`ClientBuilder::cloud`](crate::ClientBuilder::cloud); an adapter whose base URL is
/// on one of the hosts below is in that cloud even without it.
///
/// | Variant | Root URL | Display name |
/// |---|---|---|
/// | [`Global`](Self::Global) | `https://graph.microsoft.com` | Global service |
/// | [`UsGovernmentL4`](Self::UsGovernmentL4) | `https://graph.microsoft.us` | US Government L4 |
/// | [`UsGovernmentL5Dod`](Self::UsGovernmentL5Dod) | `https://dod-graph.microsoft.us` | US Government L5 (DOD) |
/// | [`China`](Self::China) | `https://microsoftgraph.chinacloudapi.cn` | China operated by 21Vianet |
///
/// ```
/// use msgraph_runtime::NationalCloud;
///
/// let cloud = NationalCloud::China;
/// assert_eq!(cloud.root_url(), "https://microsoftgraph.chinacloudapi.cn");
/// assert_eq!(cloud.default_scope(), "https://microsoftgraph.chinacloudapi.cn/.default");
/// assert_eq!(cloud.to_string(), "China operated by 21Vianet");
/// assert_eq!(NationalCloud::from_host("Graph.Microsoft.US"), Some(NationalCloud::UsGovernmentL4));
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NationalCloud {
    /// The global service, `https://graph.microsoft.com`.
    Global,
    /// Microsoft Graph for US Government L4 (GCC High), `https://graph.microsoft.us`.
    UsGovernmentL4,
    /// Microsoft Graph for US Government L5 (DOD), `https://dod-graph.microsoft.us`.
    UsGovernmentL5Dod,
    /// Microsoft Graph China operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China,
}

impl NationalCloud {
    /// Every cloud, in the order of Microsoft's reference tables (global service first).
    pub const ALL: [NationalCloud; 4] = [Self::Global, Self::UsGovernmentL4, Self::UsGovernmentL5Dod, Self::China];

    /// The root URL of the cloud's Graph endpoint, without a trailing slash or version, e.g.
    /// `https://graph.microsoft.com`.
    pub const fn root_url(self) -> &'static str {
        match self {
            Self::Global => "https://graph.microsoft.com",
            Self::UsGovernmentL4 => "https://graph.microsoft.us",
            Self::UsGovernmentL5Dod => "https://dod-graph.microsoft.us",
            Self::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The host of [`Self::root_url`], e.g. `graph.microsoft.com`.
    pub const fn host(self) -> &'static str {
        match self {
            Self::Global => "graph.microsoft.com",
            Self::UsGovernmentL4 => "graph.microsoft.us",
            Self::UsGovernmentL5Dod => "dod-graph.microsoft.us",
            Self::China => "microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The cloud's name as Microsoft's API reference writes it: `Global service`, `US Government L4`,
    /// `US Government L5 (DOD)` or `China operated by 21Vianet`. `Display` prints the same.
    pub const fn display_name(self) -> &'static str {
        match self {
            Self::Global => "Global service",
            Self::UsGovernmentL4 => "US Government L4",
            Self::UsGovernmentL5Dod => "US Government L5 (DOD)",
            Self::China => "China operated by 21Vianet",
        }
    }

    /// The scope that asks for every permission the application has been granted in this cloud,
    /// `{root_url}/.default`, e.g. `https://graph.microsoft.com/.default`.
    ///
    /// This is what the runtime asks the [`TokenProvider`](crate::TokenProvider) for, and the only form
    /// of scope the client-credentials (application) flow accepts.
    pub fn default_scope(self) -> String {
        self.scope_for(".default")
    }

    /// `permission` as a fully qualified scope of this cloud, `{root_url}/{permission}`, e.g.
    /// `https://graph.microsoft.com/Presence.ReadWrite` for `Presence.ReadWrite`.
    ///
    /// The permission is not checked or encoded; pass a name such as those in
    /// [`Permissions`](crate::Permissions).
    pub fn scope_for(self, permission: &str) -> String {
        format!("{}/{permission}", self.root_url())
    }

    /// The cloud whose Graph endpoint is on `host` (compared case-insensitively, without a port), or
    /// `None` for any other host.
    ///
    /// ```
    /// use msgraph_runtime::NationalCloud;
    ///
    /// assert_eq!(NationalCloud::from_host("dod-graph.microsoft.us"), Some(NationalCloud::UsGovernmentL5Dod));
    /// assert_eq!(NationalCloud::from_host("127.0.0.1"), None);
    /// ```
    pub fn from_host(host: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|cloud| cloud.host().eq_ignore_ascii_case(host))
    }
}

impl fmt::Display for NationalCloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// `clouds` as `A, B, C`, their display names in the given order.
pub(crate) fn display_list(clouds: &[NationalCloud]) -> String {
    clouds.iter().map(|cloud| cloud.display_name()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_urls_hosts_and_scopes_agree() {
        for cloud in NationalCloud::ALL {
            assert_eq!(cloud.root_url(), format!("https://{}", cloud.host()));
            assert_eq!(cloud.default_scope(), format!("{}/.default", cloud.root_url()));
            let url = url::Url::parse(cloud.root_url()).unwrap();
            assert_eq!(url.host_str(), Some(cloud.host()));
            assert_eq!(url.port(), None, "the root URL uses the default https port");
            assert_eq!(NationalCloud::from_host(cloud.host()), Some(cloud));
            assert_eq!(NationalCloud::from_host(&cloud.host().to_ascii_uppercase()), Some(cloud));
            assert_eq!(cloud.to_string(), cloud.display_name());
        }
        assert_eq!(
            NationalCloud::Global.scope_for("Presence.ReadWrite"),
            "https://graph.microsoft.com/Presence.ReadWrite"
        );
    }

    #[test]
    fn display_names_are_the_reference_pages_own() {
        let names: Vec<&str> = NationalCloud::ALL.iter().map(|cloud| cloud.display_name()).collect();
        assert_eq!(
            names,
            ["Global service", "US Government L4", "US Government L5 (DOD)", "China operated by 21Vianet"]
        );
        assert_eq!(display_list(&NationalCloud::ALL[..2]), "Global service, US Government L4");
        assert_eq!(display_list(&[]), "");
    }

    #[test]
    fn other_hosts_are_no_cloud() {
        for host in [
            "",
            "localhost",
            "127.0.0.1",
            "graph.microsoft.com.evil.example",
            "evil.graph.microsoft.com",
            "graph.microsoft.com:443",
            "canary.graph.microsoft.com",
        ] {
            assert_eq!(NationalCloud::from_host(host), None, "{host}");
        }
    }
}
