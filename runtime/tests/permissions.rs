//! Permission data as generated code writes it: `const` items built from struct literals.

use msgraph_runtime::{NationalCloud, PermissionScheme, PermissionSource, Permissions, SchemePermissions};

/// `POST /users/{user-id}/presence/clearPresence`, as its reference page lists it.
const CLEAR_PRESENCE: Permissions = Permissions {
    delegated_work: SchemePermissions { least: Some("Presence.ReadWrite"), higher: &[] },
    delegated_personal: SchemePermissions::NOT_SUPPORTED,
    application: SchemePermissions { least: Some("Presence.ReadWrite.All"), higher: &[] },
    source: PermissionSource::Listed,
};

/// `GET /users/{user-id}`: several permissions of higher privilege.
const GET_USER: Permissions = Permissions {
    delegated_work: SchemePermissions {
        least: Some("User.Read"),
        higher: &["User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All"],
    },
    delegated_personal: SchemePermissions { least: Some("User.Read"), higher: &["User.ReadWrite"] },
    application: SchemePermissions { least: Some("User.Read.All"), higher: &["Directory.Read.All"] },
    source: PermissionSource::Listed,
};

const DELEGATED_WORK: &SchemePermissions = CLEAR_PRESENCE.scheme(PermissionScheme::DelegatedWork);

#[test]
fn permissions_are_const_data() {
    assert_eq!(DELEGATED_WORK.least, Some("Presence.ReadWrite"));
    assert!(DELEGATED_WORK.is_supported());
    assert!(!CLEAR_PRESENCE.delegated_personal.is_supported());
    assert_eq!(CLEAR_PRESENCE.delegated_personal, SchemePermissions::NOT_SUPPORTED);
    assert_eq!(CLEAR_PRESENCE, CLEAR_PRESENCE.clone());
}

#[test]
fn all_lists_least_then_higher() {
    let all: Vec<&'static str> = GET_USER.scheme(PermissionScheme::DelegatedWork).all().collect();
    assert_eq!(all, ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All"]);
    assert_eq!(CLEAR_PRESENCE.delegated_personal.all().count(), 0);
}

#[test]
fn scopes_are_what_token_acquisition_takes() {
    assert_eq!(
        CLEAR_PRESENCE.scopes(PermissionScheme::DelegatedWork, NationalCloud::Global),
        ["https://graph.microsoft.com/Presence.ReadWrite"]
    );
    assert_eq!(
        GET_USER.scopes(PermissionScheme::DelegatedWork, NationalCloud::UsGovernmentL4),
        ["https://graph.microsoft.us/User.Read"]
    );
    assert_eq!(
        GET_USER.scopes(PermissionScheme::DelegatedPersonal, NationalCloud::Global),
        ["https://graph.microsoft.com/User.Read"]
    );
    // The client-credentials flow takes only `/.default`.
    assert_eq!(
        CLEAR_PRESENCE.scopes(PermissionScheme::Application, NationalCloud::China),
        ["https://microsoftgraph.chinacloudapi.cn/.default"]
    );
    for cloud in NationalCloud::ALL {
        assert!(CLEAR_PRESENCE.scopes(PermissionScheme::DelegatedPersonal, cloud).is_empty(), "{cloud}");
    }
}

#[test]
fn scheme_names_match_the_reference_pages() {
    assert_eq!(PermissionScheme::DelegatedWork.display_name(), "Delegated (work or school account)");
    assert_eq!(PermissionScheme::DelegatedPersonal.to_string(), "Delegated (personal Microsoft account)");
    assert_eq!(PermissionScheme::Application.to_string(), "Application");
    assert!(PermissionScheme::DelegatedWork < PermissionScheme::Application);
}
