//! The permissions an operation needs, as Microsoft's API reference lists them.

use std::fmt;

use crate::cloud::NationalCloud;

/// The permissions an operation needs under each permission scheme: the "Permissions" table of its
/// API reference page.
///
/// Generated code writes one as a `const` next to each operation, so every field is public and holds
/// only `'static` data:
///
/// ```
/// use msgraph_runtime::{NationalCloud, PermissionScheme, PermissionSource, Permissions, SchemePermissions};
///
/// const CLEAR_PRESENCE: Permissions = Permissions {
///     delegated_work: SchemePermissions { least: Some("Presence.ReadWrite"), higher: &[] },
///     delegated_personal: SchemePermissions::NOT_SUPPORTED,
///     application: SchemePermissions { least: Some("Presence.ReadWrite.All"), higher: &[] },
///     source: PermissionSource::Listed,
/// };
///
/// assert!(!CLEAR_PRESENCE.scheme(PermissionScheme::DelegatedPersonal).is_supported());
/// assert_eq!(
///     CLEAR_PRESENCE.scopes(PermissionScheme::DelegatedWork, NationalCloud::Global),
///     ["https://graph.microsoft.com/Presence.ReadWrite"]
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Permissions {
    /// Delegated permissions for a work or school account (Microsoft Entra ID).
    pub delegated_work: SchemePermissions,
    /// Delegated permissions for a personal Microsoft account.
    pub delegated_personal: SchemePermissions,
    /// Application permissions (app-only access, no signed-in user).
    pub application: SchemePermissions,
    /// Where the table comes from: Microsoft's permissions reference, or another operation's listing.
    pub source: PermissionSource,
}

/// Where an operation's [`Permissions`] come from.
///
/// Microsoft's permissions reference (the `permissions.json` behind the API reference pages) lists about
/// half of Graph's operations. The generator gives each of the others the table of a listed operation that
/// acts on the same thing, where there is one, and says so; the rest are [`PermissionSource::Unlisted`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PermissionSource {
    /// The reference lists this operation.
    Listed,
    /// The reference does not list this operation; the table is that of a listed one that acts on the
    /// same thing by the same method (the same navigation of the same type, or the same entity type),
    /// or counts, reads the content of, or references what a listed one reads or changes. The
    /// operation's docs name it.
    Inferred,
    /// Neither this operation nor one that acts on the same thing is listed: every scheme is empty, which
    /// means *unknown*, not "not supported". Its API reference page, if there is one, says more.
    Unlisted,
}

impl Permissions {
    /// The table of an operation Microsoft's permissions reference says nothing about
    /// ([`PermissionSource::Unlisted`]): [`Permissions::scopes`] is empty under every scheme.
    pub const UNLISTED: Permissions = Permissions {
        delegated_work: SchemePermissions::NOT_SUPPORTED,
        delegated_personal: SchemePermissions::NOT_SUPPORTED,
        application: SchemePermissions::NOT_SUPPORTED,
        source: PermissionSource::Unlisted,
    };

    /// Whether the table says anything: `false` for [`PermissionSource::Unlisted`], where an empty scheme
    /// means unknown rather than unsupported.
    pub const fn is_known(&self) -> bool {
        !matches!(self.source, PermissionSource::Unlisted)
    }

    /// The permissions under `scheme`.
    pub const fn scheme(&self, scheme: PermissionScheme) -> &SchemePermissions {
        match scheme {
            PermissionScheme::DelegatedWork => &self.delegated_work,
            PermissionScheme::DelegatedPersonal => &self.delegated_personal,
            PermissionScheme::Application => &self.application,
        }
    }

    /// The scopes to ask for, in `cloud`, to call the operation under `scheme`; empty when the scheme
    /// is not supported, or when the table is [unknown](Self::is_known).
    ///
    /// - Delegated schemes: the least-privileged permission as a fully qualified scope
    ///   ([`NationalCloud::scope_for`]), e.g. `https://graph.microsoft.com/Presence.ReadWrite`. When the
    ///   table names no least-privileged permission but does name higher ones, the first of those.
    /// - [`PermissionScheme::Application`]: [`NationalCloud::default_scope`], e.g.
    ///   `https://graph.microsoft.com/.default`. The client-credentials flow accepts no other scope;
    ///   the permission itself is granted to the application by an administrator, ahead of time.
    pub fn scopes(&self, scheme: PermissionScheme, cloud: NationalCloud) -> Vec<String> {
        let Some(permission) = self.scheme(scheme).least_privileged() else {
            return Vec::new();
        };
        match scheme {
            PermissionScheme::Application => vec![cloud.default_scope()],
            PermissionScheme::DelegatedWork | PermissionScheme::DelegatedPersonal => {
                vec![cloud.scope_for(permission)]
            }
        }
    }
}

/// The permissions under one permission scheme: the least-privileged one and those of higher
/// privilege that also grant access.
///
/// `least` is `None` where the reference page says "Not supported" or "Not available".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemePermissions {
    /// The least-privileged permission that grants access, e.g. `Presence.ReadWrite`.
    pub least: Option<&'static str>,
    /// Permissions of higher privilege that grant access too, in the reference page's order.
    pub higher: &'static [&'static str],
}

impl SchemePermissions {
    /// The scheme is not supported: no permission grants access.
    pub const NOT_SUPPORTED: Self = Self { least: None, higher: &[] };

    /// Whether any permission grants access under this scheme.
    pub const fn is_supported(&self) -> bool {
        self.least.is_some() || !self.higher.is_empty()
    }

    /// Every permission that grants access: [`Self::least`] first, then [`Self::higher`].
    pub fn all(&self) -> impl Iterator<Item = &'static str> {
        let (least, higher) = (self.least, self.higher);
        least.into_iter().chain(higher.iter().copied())
    }

    /// [`Self::least`], or else the first of [`Self::higher`].
    fn least_privileged(&self) -> Option<&'static str> {
        self.all().next()
    }
}

/// A way of calling Graph, as the columns of the reference pages' permission tables name them.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PermissionScheme {
    /// On behalf of a signed-in work or school account.
    DelegatedWork,
    /// On behalf of a signed-in personal Microsoft account.
    DelegatedPersonal,
    /// As the application itself, without a signed-in user.
    Application,
}

impl PermissionScheme {
    /// Every scheme, in the order of the reference pages' tables.
    pub const ALL: [PermissionScheme; 3] = [Self::DelegatedWork, Self::DelegatedPersonal, Self::Application];

    /// The scheme's name as Microsoft's API reference writes it: `Delegated (work or school account)`,
    /// `Delegated (personal Microsoft account)` or `Application`. `Display` prints the same.
    pub const fn display_name(self) -> &'static str {
        match self {
            Self::DelegatedWork => "Delegated (work or school account)",
            Self::DelegatedPersonal => "Delegated (personal Microsoft account)",
            Self::Application => "Application",
        }
    }
}

impl fmt::Display for PermissionScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER_READ: Permissions = Permissions {
        delegated_work: SchemePermissions {
            least: Some("User.Read"),
            higher: &["User.ReadWrite", "Directory.Read.All"],
        },
        delegated_personal: SchemePermissions { least: Some("User.Read"), higher: &["User.ReadWrite"] },
        application: SchemePermissions { least: Some("User.Read.All"), higher: &["Directory.Read.All"] },
        source: PermissionSource::Listed,
    };

    const ONLY_HIGHER: SchemePermissions = SchemePermissions { least: None, higher: &["Sites.FullControl.All"] };

    #[test]
    fn scheme_and_all_read_the_table() {
        assert_eq!(USER_READ.scheme(PermissionScheme::DelegatedWork), &USER_READ.delegated_work);
        assert_eq!(USER_READ.scheme(PermissionScheme::DelegatedPersonal), &USER_READ.delegated_personal);
        assert_eq!(USER_READ.scheme(PermissionScheme::Application), &USER_READ.application);
        let all: Vec<&str> = USER_READ.delegated_work.all().collect();
        assert_eq!(all, ["User.Read", "User.ReadWrite", "Directory.Read.All"]);
        assert_eq!(SchemePermissions::NOT_SUPPORTED.all().count(), 0);
        assert_eq!(ONLY_HIGHER.all().collect::<Vec<_>>(), ["Sites.FullControl.All"]);
    }

    #[test]
    fn support() {
        assert!(USER_READ.delegated_work.is_supported());
        assert!(ONLY_HIGHER.is_supported());
        assert!(!SchemePermissions::NOT_SUPPORTED.is_supported());
        const { assert!(!SchemePermissions::NOT_SUPPORTED.is_supported(), "usable in const context") };
    }

    #[test]
    fn scopes_are_full_scope_names_of_the_cloud() {
        assert_eq!(
            USER_READ.scopes(PermissionScheme::DelegatedWork, NationalCloud::Global),
            ["https://graph.microsoft.com/User.Read"]
        );
        assert_eq!(
            USER_READ.scopes(PermissionScheme::DelegatedPersonal, NationalCloud::China),
            ["https://microsoftgraph.chinacloudapi.cn/User.Read"]
        );
        assert_eq!(
            USER_READ.scopes(PermissionScheme::Application, NationalCloud::UsGovernmentL4),
            ["https://graph.microsoft.us/.default"]
        );
        let none = Permissions {
            delegated_work: ONLY_HIGHER,
            delegated_personal: SchemePermissions::NOT_SUPPORTED,
            application: SchemePermissions::NOT_SUPPORTED,
            source: PermissionSource::Inferred,
        };
        for cloud in NationalCloud::ALL {
            assert!(none.scopes(PermissionScheme::DelegatedPersonal, cloud).is_empty());
            assert!(none.scopes(PermissionScheme::Application, cloud).is_empty());
        }
        assert_eq!(
            none.scopes(PermissionScheme::DelegatedWork, NationalCloud::UsGovernmentL5Dod),
            ["https://dod-graph.microsoft.us/Sites.FullControl.All"]
        );
    }

    #[test]
    fn an_unlisted_table_is_unknown_and_asks_for_nothing() {
        assert!(USER_READ.is_known());
        assert!(!Permissions::UNLISTED.is_known());
        for scheme in PermissionScheme::ALL {
            assert!(Permissions::UNLISTED.scopes(scheme, NationalCloud::Global).is_empty());
        }
    }

    #[test]
    fn scheme_names_are_the_reference_pages_own() {
        let names: Vec<String> = PermissionScheme::ALL.iter().map(ToString::to_string).collect();
        assert_eq!(
            names,
            ["Delegated (work or school account)", "Delegated (personal Microsoft account)", "Application"]
        );
        for scheme in PermissionScheme::ALL {
            assert_eq!(scheme.to_string(), scheme.display_name());
        }
    }
}
