//! Microsoft's `permissions.json`: which permission allows which path and method, per scheme, with the least
//! privileged one marked — the table each Graph reference page shows.
//!
//! The file maps a permission name to its schemes (`DelegatedWork`, `DelegatedPersonal`, `Application`) and to
//! path sets: for some schemes and methods, lower-case paths with `{id}` placeholders, each with a marker such as
//! `least=DelegatedWork,Application` or `least=Application;AlsoRequires=Policy.Read.All`. [`PermissionIndex`]
//! turns it around: for an operation, which permissions allow it, least privileged first.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{pointer_push, Error, Location, Result};
use crate::model::{Method, Permissions, SchemePermissions};
use crate::spec::normalize_path;

/// The file, as far as the generator reads it.
#[derive(Debug, Deserialize)]
struct File {
    permissions: BTreeMap<String, Permission>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Permission {
    #[serde(default)]
    schemes: BTreeMap<String, SchemeInfo>,
    #[serde(default)]
    path_sets: Vec<PathSet>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SchemeInfo {
    #[serde(default)]
    privilege_level: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PathSet {
    scheme_keys: Vec<String>,
    methods: Vec<String>,
    paths: BTreeMap<String, String>,
}

/// The three schemes, in the order reference pages list them.
const SCHEMES: [&str; 3] = ["DelegatedWork", "DelegatedPersonal", "Application"];

/// One permission that allows an operation under one scheme.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Grant {
    least: bool,
    privilege_level: u32,
    name: String,
}

/// Permissions by `(METHOD, normalized path)` and scheme.
#[derive(Debug, Default)]
pub struct PermissionIndex {
    grants: BTreeMap<(String, String), [Vec<Grant>; 3]>,
}

impl PermissionIndex {
    /// Parses a permissions file; `file` is only used in messages.
    pub fn parse(text: &str, file: &Path, strip_namespace: Option<&str>) -> Result<Self> {
        let parsed: File = serde_json::from_str(text).map_err(|e| Error::Input {
            file: file.to_path_buf(),
            location: Location::LineColumn { line: e.line(), column: e.column() },
            message: format!("invalid permissions file: {e}"),
        })?;
        let mut index = PermissionIndex::default();
        let mut errors = Vec::new();
        for (name, permission) in &parsed.permissions {
            let at = pointer_push("#/permissions", name);
            for (i, set) in permission.path_sets.iter().enumerate() {
                let at = pointer_push(&pointer_push(&at, "pathSets"), &i.to_string());
                let mut schemes = Vec::new();
                for (k, key) in set.scheme_keys.iter().enumerate() {
                    match SCHEMES.iter().position(|s| s == key) {
                        Some(s) => schemes.push(s),
                        None => errors.push(Error::at_pointer(
                            file,
                            &pointer_push(&pointer_push(&at, "schemeKeys"), &k.to_string()),
                            format!("unknown permission scheme `{key}` (expected one of {})", SCHEMES.join(", ")),
                        )),
                    }
                }
                for (m, method) in set.methods.iter().enumerate() {
                    if Method::from_key(&method.to_ascii_lowercase()).is_none() {
                        errors.push(Error::at_pointer(
                            file,
                            &pointer_push(&pointer_push(&at, "methods"), &m.to_string()),
                            format!("`{method}` is not an HTTP method"),
                        ));
                    }
                }
                for (path, marker) in &set.paths {
                    let least_for = least_schemes(marker);
                    let normalized = normalize_path(path, strip_namespace);
                    for method in &set.methods {
                        let entry = index.grants.entry((method.to_ascii_uppercase(), normalized.clone())).or_default();
                        for &s in &schemes {
                            let privilege_level = permission.schemes.get(SCHEMES[s]).and_then(|i| i.privilege_level);
                            entry[s].push(Grant {
                                least: least_for.contains(&SCHEMES[s]),
                                privilege_level: privilege_level.unwrap_or(u32::MAX),
                                name: name.clone(),
                            });
                        }
                    }
                }
            }
        }
        if let Some(e) = Error::from_list(errors) {
            return Err(e);
        }
        for schemes in index.grants.values_mut() {
            for grants in schemes.iter_mut() {
                // Least privileged first, then by privilege level and name; one entry per permission.
                grants.sort_by(|a, b| {
                    b.least.cmp(&a.least).then(a.privilege_level.cmp(&b.privilege_level)).then(a.name.cmp(&b.name))
                });
                grants.dedup_by(|a, b| a.name == b.name);
            }
        }
        Ok(index)
    }

    /// The permissions of `method path`, or `None` when the file does not list it.
    pub fn lookup(&self, method: Method, path: &str, strip_namespace: Option<&str>) -> Option<Permissions> {
        let normalized = normalize_path(path, strip_namespace);
        self.grants.get(&(method.upper().to_owned(), normalized)).map(to_permissions)
    }

    /// The permissions of an operation reached through an alias (`/me/…` for `/users/{id}/…`): the alias's own
    /// listing, else the target's, delegated only. An alias names the signed-in user's own resource, which an
    /// application without a user cannot call (Graph refuses `/me` with an app-only token), whatever the file lists.
    pub fn lookup_aliased(
        &self,
        method: Method,
        path: &str,
        target: &str,
        strip_namespace: Option<&str>,
    ) -> Option<Permissions> {
        let mut permissions =
            self.lookup(method, path, strip_namespace).or_else(|| self.lookup(method, target, strip_namespace))?;
        permissions.application = SchemePermissions::default();
        Some(permissions)
    }
}

/// `least=DelegatedWork,Application;AlsoRequires=…` → `["DelegatedWork", "Application"]`.
fn least_schemes(marker: &str) -> Vec<&str> {
    marker
        .split(';')
        .filter_map(|part| part.trim().strip_prefix("least="))
        .flat_map(|list| list.split(',').map(str::trim))
        .collect()
}

fn to_permissions(found: &[Vec<Grant>; 3]) -> Permissions {
    let scheme = |grants: &Vec<Grant>| {
        let least = grants.iter().find(|g| g.least).map(|g| g.name.clone());
        SchemePermissions {
            higher: grants.iter().filter(|g| Some(&g.name) != least.as_ref()).map(|g| g.name.clone()).collect(),
            least,
        }
    };
    Permissions {
        delegated_work: scheme(&found[0]),
        delegated_personal: scheme(&found[1]),
        application: scheme(&found[2]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{"permissions": {
      "MailboxFolder.ReadWrite": {"schemes": {"DelegatedWork": {"privilegeLevel": 2}},
        "pathSets": [{"schemeKeys": ["DelegatedWork"], "methods": ["POST"],
          "paths": {"/users/{id}/mailfolders/{id}/move": "least=DelegatedWork"}}]},
      "MailboxFolder.ReadWrite.All": {"schemes": {"Application": {"privilegeLevel": 3}},
        "pathSets": [{"schemeKeys": ["Application"], "methods": ["POST"],
          "paths": {"/users/{id}/mailfolders/{id}/move": "least=Application"}}]},
      "Directory.ReadWrite.All": {"schemes": {"DelegatedWork": {"privilegeLevel": 4}},
        "pathSets": [{"schemeKeys": ["DelegatedWork"], "methods": ["POST"],
          "paths": {"/users/{id}/mailfolders/{id}/move": ""}}]}
    }}"#;

    #[test]
    fn least_and_higher_per_scheme() {
        let index = PermissionIndex::parse(FILE, Path::new("p.json"), Some("microsoft.graph")).unwrap();
        let p = index
            .lookup(
                Method::Post,
                "/users/{user-id}/mailFolders/{mailFolder-id}/microsoft.graph.move",
                Some("microsoft.graph"),
            )
            .unwrap();
        assert_eq!(p.delegated_work.least.as_deref(), Some("MailboxFolder.ReadWrite"));
        assert_eq!(p.delegated_work.higher, ["Directory.ReadWrite.All"]);
        assert_eq!(p.delegated_personal, SchemePermissions::default());
        assert_eq!(p.application.least.as_deref(), Some("MailboxFolder.ReadWrite.All"));
        let target = "/users/{user-id}/mailFolders/{mailFolder-id}/move";
        let me = index.lookup_aliased(Method::Post, "/me/mailFolders/{mailFolder-id}/move", target, None).unwrap();
        assert_eq!(me.delegated_work, p.delegated_work);
        assert_eq!(me.application, SchemePermissions::default());
        assert!(index.lookup(Method::Post, "/me/mailFolders/{mailFolder-id}/move", None).is_none());
        assert!(index.lookup(Method::Get, target, None).is_none());
    }

    #[test]
    fn wrong_shapes_are_located() {
        let message =
            PermissionIndex::parse("{\"permissions\": {\"X\": {\"pathSets\": 3}}}", Path::new("p.json"), None)
                .unwrap_err()
                .to_string();
        assert!(message.starts_with("p.json:1:"), "{message}");
        assert!(message.contains("invalid type: integer `3`, expected a sequence"), "{message}");
        let message = PermissionIndex::parse(
            r#"{"permissions": {"X": {"pathSets": [{"schemeKeys": ["Robot"], "methods": ["FETCH"], "paths": {}}]}}}"#,
            Path::new("p.json"),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            message.contains("p.json#/permissions/X/pathSets/0/schemeKeys/0: unknown permission scheme `Robot`"),
            "{message}"
        );
        assert!(
            message.contains("p.json#/permissions/X/pathSets/0/methods/0: `FETCH` is not an HTTP method"),
            "{message}"
        );
    }
}
