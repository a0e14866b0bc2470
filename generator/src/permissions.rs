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

use crate::csdl::resolve::{Resolver, Signature};
use crate::error::{pointer_push, Error, Location, Result};
use crate::model::{Inference, Method, PermissionSource, Permissions, SchemePermissions};
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
/// and how, whatever path reaches it; and, failing that, by the entity type it acts on.
#[derive(Debug, Default)]
pub struct SignatureIndex {
    /// Each key's listings, as indexes into `listings`.
    tables: BTreeMap<Signature, Vec<usize>>,
    listings: Vec<Listing>,
}

/// `(METHOD, normalized path)`: how the file's listings are keyed.
pub type ListingKey = (String, String);

/// One listed operation, as [`SignatureIndex`] holds it.
#[derive(Debug)]
struct Listing {
    key: ListingKey,
    /// A `/me/…` listing: it says something of other owners only where no canonical listing does.
    me: bool,
    permissions: Permissions,
}

/// What a signature's listings say.
enum Decision<'a> {
    /// Nothing is listed under it (or only the operation left out).
    Silent,
    /// The listings disagree: nothing is inferred, not even from a coarser key.
    Ambiguous,
    /// The listings agree: this one's table.
    Found(&'a Listing),
}

impl SignatureIndex {
    /// The permissions of the operations that act on the same thing by the same method as `method template`, when
    /// the listed ones agree. `me`: whether `/me/…` listings may decide (for the signed-in user's alias, whose
    /// application column is dropped anyway; another owner's application permissions are not the signed-in
    /// user's).
    pub fn lookup(&self, resolver: &Resolver<'_>, method: Method, template: &str, me: bool) -> Option<Permissions> {
        self.infer(resolver, method, template, None, me).map(|(p, _)| p)
    }

    /// [`Self::lookup`] as if the listing `except` were not in the file (what a leave-one-out measure asks), with
    /// the rule that decided.
    pub fn infer(
        &self,
        resolver: &Resolver<'_>,
        method: Method,
        template: &str,
        except: Option<&ListingKey>,
        me: bool,
    ) -> Option<(Permissions, Inference)> {
        let signature = resolver.signature(method, template)?;
        let by_owner = signature.by_owner();
        let mut owner = vec![by_owner.clone()];
        // Counting a collection, or reading a media entity's content, needs what reading it needs.
        if method == Method::Get && matches!(signature.suffix.as_deref(), Some("$count" | "$value")) {
            owner.push(Signature { suffix: None, ..by_owner });
        }
        let target: Vec<Signature> = owner
            .iter()
            .filter_map(|c| {
                Signature { target: signature.target.clone(), area: signature.area.clone(), ..c.clone() }.by_target()
            })
            .collect();
        let item = |keys: &[Signature]| -> Vec<Signature> {
            if method != Method::Get {
                return Vec::new();
            }
            keys.iter().filter(|k| k.suffix.is_none()).map(|k| Signature { keyed: !k.keyed, ..k.clone() }).collect()
        };
        let other_writes: Vec<Signature> = match method {
            Method::Patch | Method::Put | Method::Post | Method::Delete => owner
                .iter()
                .chain(&target)
                .filter(|k| k.suffix.is_none())
                .flat_map(|k| {
                    [Method::Patch, Method::Put, Method::Post, Method::Delete]
                        .into_iter()
                        .filter(|m| *m != method)
                        .map(|m| Signature { method: m, ..k.clone() })
                })
                .collect(),
            _ => Vec::new(),
        };
        // Creating an item of a collection as changing one of them (`POST …/tabs` as `PATCH …/tabs/{id}`), or
        // the other way round.
        let other_writes_item: Vec<Signature> =
            other_writes.iter().map(|k| Signature { keyed: !k.keyed, ..k.clone() }).collect();
        let candidates = [
            (Inference::Owner, owner.clone()),
            (Inference::OwnerItem, item(&owner)),
            (Inference::Target, target.clone()),
            (Inference::TargetItem, item(&target)),
            (Inference::OtherWrite, other_writes),
            (Inference::OtherWriteItem, other_writes_item),
        ];
        // The first that the listings decide: found, or ambiguous (then nothing is inferred from a coarser key).
        for (rule, keys) in candidates {
            for key in &keys {
                let Some(listed) = self.tables.get(key) else { continue };
                match self.decide(listed, except, me) {
                    Decision::Silent => continue,
                    Decision::Ambiguous => return None,
                    Decision::Found(listing) => {
                        let mut permissions = listing.permissions.clone();
                        let listed = format!("{} {}", listing.key.0, listing.key.1);
                        permissions.source = PermissionSource::SameAs { listed, rule };
                        return Some((permissions, rule));
                    }
                }
            }
        }
        None
    }

    fn decide(&self, listed: &[usize], except: Option<&ListingKey>, me: bool) -> Decision<'_> {
        let listed: Vec<&Listing> =
            listed.iter().map(|&i| &self.listings[i]).filter(|l| Some(&l.key) != except).collect();
        // The canonical listings; the signed-in user's own (`/me/…`) only where none says anything.
        let canonical: Vec<&Listing> = listed.iter().copied().filter(|l| !l.me).collect();
        let deciding = if canonical.is_empty() && me { listed } else { canonical };
        let Some(first) = deciding.first() else { return Decision::Silent };
        let table = |p: &Permissions| (p.delegated_work.clone(), p.delegated_personal.clone(), p.application.clone());
        if deciding.iter().all(|l| table(&l.permissions) == table(&first.permissions)) {
            Decision::Found(first)
        } else {
            Decision::Ambiguous
        }
    }
}

/// How often inferring an operation's table from the others agrees with the table the file lists for it: each
/// listed operation (but `/me/…` ones) left out of the file in turn ([`PermissionIndex::leave_one_out`]).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// Listed operations the CSDL resolves.
    pub listed: usize,
    /// Of those, how many get a table from the others.
    pub inferred: usize,
    /// Of those, how many get exactly the listed table (least and higher privileged, every scheme).
    pub same_table: usize,
    /// Of those, how many get the listed least-privileged permission under every scheme.
    pub same_least: usize,
    /// `(inferred, same least)` by rule, in [`Inference::ALL`]'s order.
    pub by_rule: [(usize, usize); Inference::ALL.len()],
    /// Each operation whose inferred least-privileged permissions differ from its listed ones: what, and why.
    pub disagreements: Vec<String>,
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
                    let normalized = items_by_key(&normalize_path(path, strip_namespace));
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
        let mut index = SignatureIndex::default();
        for ((name, path), found) in &self.grants {
            let Some(method) = Method::from_key(&name.to_ascii_lowercase()) else { continue };
            let Some(signature) = resolver.signature(method, path) else { continue };
            let me = is_me(path);
            let at = index.listings.len();
            index.listings.push(Listing { key: (name.clone(), path.clone()), me, permissions: to_permissions(found) });
            // What the signed-in user may do with their own things says nothing of other owners' things.
            if let Some(by_target) = signature.by_target().filter(|_| !me) {
                index.tables.entry(by_target).or_default().push(at);
            }
            index.tables.entry(signature.by_owner()).or_default().push(at);
        }
        index
    }

    /// The table of an unlisted operation that the file gives through a listed one acting on the same thing, by
    /// path alone: counting a collection (`GET …/$count`) as listing it, reading a media entity's content
    /// (`GET …/$value`) as reading it, and a reference (`POST …/$ref`, `DELETE …/{id}/$ref`, `GET …/$ref`,
    /// `PUT …/$ref`) as the same method on the navigation (which is how the file lists `$ref` operations).
    pub fn related(&self, method: Method, path: &str, strip_namespace: Option<&str>) -> Option<Permissions> {
        let normalized = normalize_path(path, strip_namespace);
        let (parent, last) = normalized.rsplit_once('/')?;
        let methods: &[&str] = match (last, method) {
            ("$count" | "$value", Method::Get) => &["GET"],
            ("$ref", Method::Put) => &["PUT", "PATCH"],
            ("$ref", Method::Get | Method::Post | Method::Delete) => &[method.upper()],
            _ => return None,
        };
        methods.iter().find_map(|m| {
            let key = ((*m).to_owned(), parent.to_owned());
            self.grants.get(&key).map(|found| {
                let mut permissions = to_permissions(found);
                let listed = format!("{} {}", key.0, key.1);
                permissions.source = PermissionSource::SameAs { listed, rule: Inference::Path };
                permissions
            })
        })
    }

    /// Every listing's inferred table (the file without it) against its own: how far [`Self::related`] and
    /// [`SignatureIndex::lookup`] can be trusted for the operations the file does not list.
    pub fn leave_one_out(&self, signatures: &SignatureIndex, resolver: &Resolver<'_>) -> Agreement {
        let mut agreement = Agreement::default();
        let schemes = |p: &Permissions| [p.delegated_work.clone(), p.delegated_personal.clone(), p.application.clone()];
        for ((name, path), found) in &self.grants {
            if is_me(path) {
                continue;
            }
            let Some(method) = Method::from_key(&name.to_ascii_lowercase()) else { continue };
            if resolver.signature(method, path).is_none() {
                continue;
            }
            agreement.listed += 1;
            let except = (name.clone(), path.clone());
            let inferred = self
                .related(method, path, None)
                .map(|p| (p, Inference::Path))
                .or_else(|| signatures.infer(resolver, method, path, Some(&except), false));
            let Some((inferred, rule)) = inferred else { continue };
            let listed = to_permissions(found);
            let same_least = schemes(&inferred).iter().zip(schemes(&listed)).all(|(a, b)| a.least == b.least);
            agreement.inferred += 1;
            agreement.same_table += usize::from(schemes(&inferred) == schemes(&listed));
            agreement.same_least += usize::from(same_least);
            let slot = &mut agreement.by_rule[rule as usize];
            slot.0 += 1;
            slot.1 += usize::from(same_least);
            if !same_least {
                let least = |p: &Permissions| {
                    let names = schemes(p).map(|s| s.least.unwrap_or_else(|| "-".to_owned()));
                    names.join(" / ")
                };
                let from = inferred.same_as().unwrap_or_default();
                agreement.disagreements.push(format!(
                    "{name} {path}: listed {}, inferred {} ({rule:?}, from {from})",
                    least(&listed),
                    least(&inferred)
                ));
            }
        }
        agreement
    }

    /// The permissions of `method path`, or `None` when the file does not list it.
    pub fn lookup(&self, method: Method, path: &str, strip_namespace: Option<&str>) -> Option<Permissions> {
        let normalized = normalize_path(path, strip_namespace);
        self.grants.get(&(method.upper().to_owned(), normalized)).map(to_permissions)
    }
}

/// A path of the signed-in user's alias, `/me` or `/me/…`.
fn is_me(path: &str) -> bool {
    path == "/me" || path.starts_with("/me/")
}

/// A drive item addressed by its path (`/drive/root:/{item-path}:/…`, as the file often writes it) in the form
/// templates use, addressed by its key (`/drive/items/{}/…`).
fn items_by_key(normalized: &str) -> String {
    let mut out = String::with_capacity(normalized.len());
    let mut rest = normalized;
    while let Some(at) = rest.find("/root:/{}:") {
        let after = &rest[at + "/root:/{}:".len()..];
        if !(after.is_empty() || after.starts_with('/')) {
            break;
        }
        out.push_str(&rest[..at]);
        out.push_str("/items/{}");
        rest = after;
    }
    out.push_str(rest);
    out
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
        source: PermissionSource::Listed,
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
        let me = p.clone().delegated_only();
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
            "methods": ["GET"], "paths": {"/groups/{id}/notes": "least=DelegatedWork"}}]},
          "Notes.ReadWrite": {"schemes": {"DelegatedWork": {"privilegeLevel": 2}}, "pathSets": [{"schemeKeys": ["DelegatedWork"],
            "methods": ["PATCH"], "paths": {"/users/{id}/notes/{id}": "least=DelegatedWork"}}]}
        }}"#;
        let index = PermissionIndex::parse(file, Path::new("p.json"), None).unwrap();
        let signatures = index.signatures(&resolver);
        // An event's attachment, read by key, whoever owns the event.
        let found = signatures.lookup(
            &resolver,
            Method::Get,
            "/groups/{group-id}/events/{event-id}/attachments/{attachment-id}",
            false,
        );
        let found = found.expect("inferred");
        assert_eq!(found.delegated_work.least.as_deref(), Some("Calendars.Read"));
        assert_eq!(found.same_as(), Some("GET /users/{}/events/{}/attachments/{}"));
        // Counting the collection needs what listing it needs.
        let count =
            signatures.lookup(&resolver, Method::Get, "/users/{user-id}/notes/$count", false).expect("as the list");
        assert_eq!(count.delegated_work.least.as_deref(), Some("Notes.Read"));
        // Reading one note as listing them, each owner's own: a group's are not a user's.
        let note = |template, me| signatures.infer(&resolver, Method::Get, template, None, me).expect(template);
        let (group_note, rule) = note("/groups/{group-id}/notes/{note-id}", false);
        assert_eq!((group_note.same_as(), rule), (Some("GET /groups/{}/notes"), Inference::OwnerItem));
        assert_eq!(group_note.delegated_work.least.as_deref(), Some("Notes.Read.All"));
        // The signed-in user's own listing decides only for `me()` (whose application column is dropped anyway).
        let (user_note, rule) = note("/users/{user-id}/notes/{note-id}", false);
        assert_eq!((user_note.same_as(), rule), (Some("GET /users/{}/notes"), Inference::OwnerItem));
        let (mine, rule) = note("/users/{user-id}/notes/{note-id}", true);
        assert_eq!((mine.same_as(), rule), (Some("GET /me/notes/{}"), Inference::Owner));
        // Listing an event's attachments as reading one of them.
        let (list, rule) = note("/users/{user-id}/events/{event-id}/attachments", false);
        assert_eq!((list.same_as(), rule), (Some("GET /users/{}/events/{}/attachments/{}"), Inference::OwnerItem));
        // Deleting a note as updating it.
        let delete = signatures.infer(&resolver, Method::Delete, "/users/{user-id}/notes/{note-id}", None, false);
        let (delete, rule) = delete.expect("as the update");
        assert_eq!((delete.same_as(), rule), (Some("PATCH /users/{}/notes/{}"), Inference::OtherWrite));
        // Creating a note as updating one.
        let create = signatures.infer(&resolver, Method::Post, "/users/{user-id}/notes", None, false);
        let (create, rule) = create.expect("as the update of an item");
        assert_eq!((create.same_as(), rule), (Some("PATCH /users/{}/notes/{}"), Inference::OtherWriteItem));
        // Nothing at all where nothing like it is listed.
        assert!(signatures.lookup(&resolver, Method::Delete, "/groups/{group-id}/events/{event-id}", false).is_none());
        // Left out in turn, a user's notes say nothing of a group's (another area, by type alone), nor the other
        // way round, and nothing else lists notes or attachments: nothing is inferred, rather than a table that
        // disagrees with the listed one.
        let agreement = index.leave_one_out(&signatures, &resolver);
        assert_eq!((agreement.listed, agreement.inferred), (4, 0), "{agreement:?}");
    }

    #[test]
    fn rules_are_listed_in_the_order_they_are_declared() {
        // `Agreement::by_rule` is indexed by a rule's discriminant.
        assert!(Inference::ALL.iter().enumerate().all(|(i, rule)| *rule as usize == i));
    }

    #[test]
    fn counts_contents_and_references_are_what_they_end() {
        let file = r#"{"permissions": {
          "Printer.ReadWrite.All": {"schemes": {"DelegatedWork": {"privilegeLevel": 3}}, "pathSets": [{"schemeKeys": ["DelegatedWork"],
            "methods": ["GET", "POST"], "paths": {"/print/shares/{id}/allowedgroups": "least=DelegatedWork"}},
            {"schemeKeys": ["DelegatedWork"], "methods": ["DELETE"], "paths": {"/print/shares/{id}/allowedgroups/{id}": "least=DelegatedWork"}}]},
          "Files.ReadWrite": {"schemes": {"DelegatedWork": {"privilegeLevel": 2}}, "pathSets": [{"schemeKeys": ["DelegatedWork"],
            "methods": ["GET"], "paths": {"/users/{id}/drive/root:/{item-path}:/workbook/tables": "least=DelegatedWork",
              "/me/events/delta": "least=DelegatedWork"}}]}
        }}"#;
        let index = PermissionIndex::parse(file, Path::new("p.json"), None).unwrap();
        let least = |p: Option<Permissions>| p.and_then(|p| p.delegated_work.least);
        let shares = "/print/shares/{printerShare-id}/allowedGroups";
        for (method, path) in [
            (Method::Get, format!("{shares}/$count")),
            (Method::Post, format!("{shares}/$ref")),
            (Method::Delete, format!("{shares}/{{group-id}}/$ref")),
        ] {
            assert_eq!(least(index.related(method, &path, None)).as_deref(), Some("Printer.ReadWrite.All"), "{path}");
        }
        assert!(index.related(Method::Patch, &format!("{shares}/$count"), None).is_none());
        assert!(index.related(Method::Get, shares, None).is_none(), "only what a suffix ends");
        // A drive item by its path is the item by its key; a function is named with or without its parentheses.
        let tables = index.lookup(Method::Get, "/users/{user-id}/drive/items/{driveItem-id}/workbook/tables", None);
        assert_eq!(least(tables).as_deref(), Some("Files.ReadWrite"));
        assert!(index.lookup(Method::Get, "/me/events/delta()", None).is_some());
    }
}
