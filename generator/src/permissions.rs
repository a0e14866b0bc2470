//! Microsoft's `permissions.json`: which permission allows which path and method, per scheme, with the least
//! privileged one marked — the table each Graph reference page shows.
//!
//! The file maps a permission name to its schemes (`DelegatedWork`, `DelegatedPersonal`, `Application`) and to
//! path sets: for some schemes and methods, lower-case paths with `{id}` placeholders, each with a marker such as
//! `least=DelegatedWork,Application` or `least=Application;AlsoRequires=Policy.Read.All`. [`PermissionIndex`]
//! turns it around: for an operation, which permissions allow it, least privileged first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use crate::csdl::resolve::{Resolver, Signature};
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

/// The permissions of every listed operation that a CSDL resolves, by [`Signature`]: what an operation acts on
/// and how, whatever path reaches it; and, failing that, by the entity type it acts on. A signature whose listed
/// paths disagree has no entry.
#[derive(Debug, Default)]
pub struct SignatureIndex {
    tables: BTreeMap<Signature, Option<Permissions>>,
}

/// Records `permissions` (listed for `path`) under `key`, or marks the key ambiguous when a listing disagrees.
fn record(
    tables: &mut BTreeMap<Signature, Option<Permissions>>,
    from_me: &mut BTreeSet<Signature>,
    key: Signature,
    path: &str,
    method: Method,
    permissions: &Permissions,
) {
    let is_me = path == "/me" || path.starts_with("/me/");
    match tables.entry(key) {
        std::collections::btree_map::Entry::Vacant(slot) => {
            if is_me {
                from_me.insert(slot.key().clone());
            }
            let mut permissions = permissions.clone();
            permissions.same_as = Some(format!("{} {path}", method.upper()));
            slot.insert(Some(permissions));
        }
        // A canonical listing says it already.
        std::collections::btree_map::Entry::Occupied(slot) if is_me && !from_me.contains(slot.key()) => {}
        std::collections::btree_map::Entry::Occupied(mut slot) => {
            let agrees = slot.get().as_ref().is_some_and(|p| {
                (&p.delegated_work, &p.delegated_personal, &p.application)
                    == (&permissions.delegated_work, &permissions.delegated_personal, &permissions.application)
            });
            if !agrees {
                slot.insert(None);
            }
        }
    }
}

impl SignatureIndex {
    /// The permissions of the operations that act on the same thing by the same method as `method template`, when
    /// the listed ones agree.
    pub fn lookup(&self, resolver: &Resolver<'_>, method: Method, template: &str) -> Option<Permissions> {
        let signature = resolver.signature(method, template)?;
        let mut candidates = vec![signature.by_owner()];
        // Counting a collection, or reading a media entity's content, needs what reading it needs.
        if method == Method::Get && matches!(signature.suffix.as_deref(), Some("$count" | "$value")) {
            candidates.push(Signature { suffix: None, ..signature.by_owner() });
        }
        let more: Vec<Signature> = candidates
            .iter()
            .filter_map(|c| Signature { target: signature.target.clone(), ..c.clone() }.by_target())
            .collect();
        candidates.extend(more);
        // The first that a listing decides: found, or ambiguous (then nothing is inferred from a coarser key).
        candidates.iter().find_map(|key| self.tables.get(key)).cloned().flatten()
    }
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

    /// Resolves every listed operation against a CSDL, for [`SignatureIndex::lookup`].
    pub fn signatures(&self, resolver: &Resolver<'_>) -> SignatureIndex {
        let mut tables: BTreeMap<Signature, Option<Permissions>> = BTreeMap::new();
        let mut from_me = BTreeSet::new();
        // The canonical paths first; a `/me/…` listing (the signed-in user's alias) only where none says more.
        let is_me = |path: &str| path == "/me" || path.starts_with("/me/");
        let listed =
            self.grants.iter().filter(|((_, p), _)| !is_me(p)).chain(self.grants.iter().filter(|((_, p), _)| is_me(p)));
        for ((method, path), found) in listed {
            let Some(method) = Method::from_key(&method.to_ascii_lowercase()) else { continue };
            let Some(signature) = resolver.signature(method, path) else { continue };
            let permissions = to_permissions(found);
            // What the signed-in user may do with their own things says nothing of other owners' things.
            if let Some(by_target) = signature.by_target().filter(|_| !is_me(path)) {
                record(&mut tables, &mut from_me, by_target, path, method, &permissions);
            }
            record(&mut tables, &mut from_me, signature.by_owner(), path, method, &permissions);
        }
        SignatureIndex { tables }
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
        same_as: None,
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

    #[test]
    fn an_unlisted_operation_takes_the_table_of_one_acting_on_the_same_thing() {
        let csdl = crate::csdl::parse(
            r#"<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" Alias="g" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
  <EntityType Name="user" BaseType="g.entity"><NavigationProperty Name="events" Type="Collection(g.event)" ContainsTarget="true"/>
    <NavigationProperty Name="notes" Type="Collection(g.note)" ContainsTarget="true"/></EntityType>
  <EntityType Name="group" BaseType="g.entity"><NavigationProperty Name="events" Type="Collection(g.event)" ContainsTarget="true"/>
    <NavigationProperty Name="notes" Type="Collection(g.note)" ContainsTarget="true"/></EntityType>
  <EntityType Name="event" BaseType="g.entity"><NavigationProperty Name="attachments" Type="Collection(g.attachment)" ContainsTarget="true"/></EntityType>
  <EntityType Name="attachment" BaseType="g.entity"/>
  <EntityType Name="note" BaseType="g.entity"/>
  <EntityContainer Name="Service"><EntitySet Name="users" EntityType="ns.user"/><EntitySet Name="groups" EntityType="ns.group"/>
    <Singleton Name="me" Type="ns.user"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#,
            Path::new("t.csdl"),
        )
        .unwrap();
        let resolver = Resolver::new(&csdl, Some("ns"));
        let file = r#"{"permissions": {
          "Calendars.Read": {"schemes": {"DelegatedWork": {"privilegeLevel": 1}}, "pathSets": [{"schemeKeys": ["DelegatedWork"],
            "methods": ["GET"], "paths": {"/users/{id}/events/{id}/attachments/{id}": "least=DelegatedWork"}}]},
          "Notes.Read": {"schemes": {"DelegatedWork": {"privilegeLevel": 1}}, "pathSets": [{"schemeKeys": ["DelegatedWork"],
            "methods": ["GET"], "paths": {"/users/{id}/notes": "least=DelegatedWork", "/me/notes/{id}": "least=DelegatedWork"}}]},
          "Notes.Read.All": {"schemes": {"DelegatedWork": {"privilegeLevel": 2}}, "pathSets": [{"schemeKeys": ["DelegatedWork"],
            "methods": ["GET"], "paths": {"/groups/{id}/notes": "least=DelegatedWork"}}]}
        }}"#;
        let index = PermissionIndex::parse(file, Path::new("p.json"), None).unwrap();
        let signatures = index.signatures(&resolver);
        // An event's attachment, read by key, whoever owns the event.
        let found = signatures.lookup(
            &resolver,
            Method::Get,
            "/groups/{group-id}/events/{event-id}/attachments/{attachment-id}",
        );
        let found = found.expect("inferred");
        assert_eq!(found.delegated_work.least.as_deref(), Some("Calendars.Read"));
        assert_eq!(found.same_as.as_deref(), Some("GET /users/{}/events/{}/attachments/{}"));
        // Counting the collection needs what listing it needs.
        let count = signatures.lookup(&resolver, Method::Get, "/users/{user-id}/notes/$count").expect("as the list");
        assert_eq!(count.delegated_work.least.as_deref(), Some("Notes.Read"));
        // Notes listed with different tables under different owners: nothing is inferred for the type alone, and
        // the signed-in user's own listing says nothing of other owners.
        assert!(signatures.lookup(&resolver, Method::Get, "/groups/{group-id}/notes/{note-id}").is_none());
        assert!(signatures.lookup(&resolver, Method::Get, "/users/{user-id}/events/{event-id}/attachments").is_none());
    }
}
