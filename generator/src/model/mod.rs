//! The generator's model: plain data with every Rust name chosen, no tokens.
//!
//! A [`Crate`] is a URL tree of request builders ([`Node`], one per path segment, as Kiota builds it) plus the
//! types the selected operations use ([`TypeDef`]). Collections are ordered, so the model — and so the output — is
//! the same for the same input.

mod find;
mod walk;

pub use find::{Found, NotFound, Step};
pub use walk::{annotated_operations, operations, Hierarchy};

/// The root module of the description's named schemas; every type under it is emitted in a file of its own.
pub const MODELS_MODULE: &str = "models";

/// The module of an entity set's item below the set's module (`users::item` for `/users/{user-id}`), as Kiota lays
/// builders out.
pub const ITEM_MODULE: &str = "item";

/// The items every generated crate defines at its root besides the client, the path modules and
/// [`RUNTIME_REEXPORTS`]: the runtime crate's re-export, the error and request aliases, the default base URL.
pub const ROOT_ITEMS: &[&str] = &[MODELS_MODULE, "runtime", "Error", "Request", "DEFAULT_BASE_URL"];

/// The methods every request builder has besides its accessors and operations.
pub const BUILDER_METHODS: &[&str] = &["new", "base", "adapter", "builder", "from"];

/// The runtime items every generated crate re-exports at its root (so no generated module may take these names).
pub const RUNTIME_REEXPORTS: &[&str] = &[
    "AccessToken",
    "AdditionalData",
    "Bytes",
    "ClientBuilder",
    "DowncastError",
    "Flags",
    "HttpRequest",
    "Json",
    "MaybeJson",
    "NationalCloud",
    "NoContent",
    "ODataType",
    "PermissionScheme",
    "PermissionSource",
    "Permissions",
    "Property",
    "SchemePermissions",
    "StaticTokenProvider",
    "Text",
    "TokenProvider",
    "TokenRequest",
];

/// A module path below the crate root, e.g. `["users", "item", "manager"]`; empty for the root.
pub type ModulePath = Vec<String>;

/// Everything one generated crate contains.
#[derive(Clone, Debug, PartialEq)]
pub struct Crate {
    /// Package name, e.g. `msgraph-sdk`.
    pub package: String,
    /// Package version.
    pub version: String,
    /// Package description.
    pub description: String,
    /// The description file, relative to the workspace, for docs and headers.
    pub spec_path: String,
    /// The default base URL (the description's first server), without a trailing slash.
    pub default_base_url: String,
    /// The URL tree; its root is the client type.
    pub root: Node,
    /// The types, ordered by module path and name.
    pub types: Vec<TypeDef>,
    /// Types defined in one module and also named in another (identical inline types shared between operations).
    pub reexports: Vec<Reexport>,
    /// The error model of the API's error responses (`ODataError` for Graph), or `None` for raw JSON.
    pub error_type: Option<TypePath>,
    /// Whether each top-level area is behind a Cargo feature (see [`crate::features`]).
    pub area_features: bool,
    /// Whether the `models` module is a crate of its own (`models/` beside `src/`), re-exported as `models`.
    pub models_crate: bool,
    /// Root segments that stand for another path's builder (`me()` for `/users/{user-id}`).
    pub aliases: Vec<Alias>,
}

impl Crate {
    /// The name code uses for the crate: its package name with `_` for `-` (`msgraph_sdk`).
    pub fn lib_name(&self) -> String {
        self.package.replace('-', "_")
    }
}

/// A segment that stands for another path: its accessor returns that path's builder over the segment, so
/// `client.me()` has every operation of `/users/{user-id}` and sends `/me/…`, and `user.drive()` has every
/// operation of `/drives/{drive-id}` and sends `/users/{id}/drive/…`.
#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    /// The template of the node whose builder has the accessor: `/` for the client.
    pub parent: String,
    /// The segment, e.g. `me`.
    pub wire: String,
    /// The accessor, e.g. `me`.
    pub accessor: String,
    /// The template it stands for, e.g. `/users/{user-id}`.
    pub target: String,
    /// The module of the target's builder.
    pub module: ModulePath,
    /// The target's builder type.
    pub builder: String,
}

/// An operation as it is reached through an [`Alias`]: `POST /me/sendMail` for `POST /users/{user-id}/sendMail`.
#[derive(Clone, Debug, PartialEq)]
pub struct AliasedOperation {
    /// The alias's segment, e.g. `me`.
    pub alias: String,
    /// The alias's accessor on the client, e.g. `me`.
    pub accessor: String,
    /// The template on the wire, e.g. `/me/sendMail`.
    pub template: String,
    /// Who may call it there (permissions can differ: `/me` is delegated only), when the config names a
    /// permissions file that lists it.
    pub permissions: Option<Permissions>,
    /// The builder's constant with those permissions, e.g. `ME_POST_PERMISSIONS`.
    pub permissions_const: String,
}

/// One path segment of the URL tree and the request builder that stands for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The module that holds this node's builder.
    pub module: ModulePath,
    /// The builder type's name, e.g. `ManagerRequestBuilder` (the client's name at the root).
    pub builder: String,
    /// The path template up to here, e.g. `/users/{user-id}/manager`.
    pub template: String,
    /// How this node is reached from its parent.
    pub segment: Segment,
    /// The method on the parent's builder that returns this node's builder, e.g. `manager`, `by_user_id`.
    pub accessor: String,
    /// The child nodes, ordered by accessor.
    pub children: Vec<Node>,
    /// The operations on this path, ordered by method.
    pub operations: Vec<Operation>,
    /// Description of the path item, if any.
    pub description: Option<String>,
}

/// How a node is reached from its parent.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    /// The crate's root: the base URL itself.
    Root,
    /// A literal segment, e.g. `manager`.
    Static {
        /// The segment as it appears in the URL.
        wire: String,
    },
    /// An OData function call or alternate key, e.g. `microsoft.graph.delta(token='{token}')`: the caller
    /// passes the arguments.
    Call {
        /// The function (or entity set) name as it appears in the URL, e.g. `microsoft.graph.delta`.
        name: String,
        /// The arguments, in order.
        args: Vec<CallArg>,
    },
    /// A `{name}` segment filled in by the caller.
    Parameter {
        /// The parameter's name in the template, e.g. `user-id`.
        wire: String,
        /// The Rust parameter name, e.g. `user_id`.
        rust: String,
        /// Its description.
        description: Option<String>,
    },
}

/// One argument of a [`Segment::Call`].
#[derive(Clone, Debug, PartialEq)]
pub struct CallArg {
    /// The argument's name in the URL, e.g. `token`.
    pub wire: String,
    /// The Rust parameter name, e.g. `token`.
    pub rust: String,
    /// Whether the value is an OData string literal (`'{token}'`) rather than a number or boolean (`{top}`).
    pub quoted: bool,
    /// For an optional argument written as a parameter alias (`userId=@userId`): the alias, whose value the caller
    /// gives in the query (`@userId='…'`), or leaves out. Such an argument takes no Rust parameter.
    pub alias: Option<String>,
}

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// PATCH
    Patch,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
}

impl Method {
    /// Every method, in the order a path item lists them.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Patch,
        Method::Head,
        Method::Options,
        Method::Trace,
    ];

    /// From an upper-case method name, e.g. `POST`.
    pub fn from_upper(name: &str) -> Option<Self> {
        Method::ALL.into_iter().find(|m| m.upper() == name)
    }

    /// From a lower-case OpenAPI method key.
    pub fn from_key(key: &str) -> Option<Self> {
        Method::ALL.into_iter().find(|m| m.lower() == key)
    }

    /// The method name in upper case, e.g. `POST`.
    pub fn upper(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }

    /// The method name in lower case, which is also the builder method's name, e.g. `post`.
    pub fn lower(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Patch => "patch",
            Method::Head => "head",
            Method::Options => "options",
            Method::Trace => "trace",
        }
    }

    /// The method name in Kiota's type-name casing, e.g. `Post` in `SendMailPostRequestBody`.
    pub fn camel(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Put => "Put",
            Method::Post => "Post",
            Method::Delete => "Delete",
            Method::Patch => "Patch",
            Method::Head => "Head",
            Method::Options => "Options",
            Method::Trace => "Trace",
        }
    }
}

/// One operation on a node.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The HTTP method.
    pub method: Method,
    /// The builder method's name, e.g. `post`.
    pub rust_name: String,
    /// Documentation.
    pub docs: Docs,
    /// Whether the description marks it deprecated.
    pub deprecated: bool,
    /// The request body, if the operation takes one.
    pub body: Option<RequestBody>,
    /// How a successful response is read.
    pub response: ResponseShape,
    /// The national clouds whose metadata declares this operation, when the config lists clouds.
    pub clouds: Option<Vec<Cloud>>,
    /// Who may call it, when the config names a permissions file that lists it.
    pub permissions: Option<Permissions>,
    /// The query parameters the description declares for it, e.g. `$select`, `$filter`, in its order.
    pub query: Vec<String>,
    /// The builder's constant with its permissions, e.g. `POST_PERMISSIONS`.
    pub permissions_const: String,
    /// The builder's constant with its national clouds, e.g. `POST_CLOUDS`.
    pub clouds_const: String,
    /// The same operation reached through each alias whose target is above it.
    pub aliased: Vec<AliasedOperation>,
    /// Examples for its docs: snippets of real requests (`use` lines, a blank line, statements), from the config's
    /// example requests.
    pub examples: Vec<String>,
}

/// A national cloud of Microsoft Graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cloud {
    /// `graph.microsoft.com`.
    Global,
    /// `graph.microsoft.us`.
    UsGovernmentL4,
    /// `dod-graph.microsoft.us`.
    UsGovernmentL5Dod,
    /// `microsoftgraph.chinacloudapi.cn`, operated by 21Vianet.
    China,
}

impl Cloud {
    /// Every cloud, in the order reference pages list them.
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::UsGovernmentL4, Cloud::UsGovernmentL5Dod, Cloud::China];

    /// The runtime's `NationalCloud` variant.
    pub fn variant(self) -> &'static str {
        match self {
            Cloud::Global => "Global",
            Cloud::UsGovernmentL4 => "UsGovernmentL4",
            Cloud::UsGovernmentL5Dod => "UsGovernmentL5Dod",
            Cloud::China => "China",
        }
    }

    /// The name reference pages give it.
    pub fn display_name(self) -> &'static str {
        match self {
            Cloud::Global => "Global service",
            Cloud::UsGovernmentL4 => "US Government L4",
            Cloud::UsGovernmentL5Dod => "US Government L5 (DOD)",
            Cloud::China => "China operated by 21Vianet",
        }
    }
}

/// The permissions that allow an operation, per scheme.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permissions {
    /// Delegated, work or school account.
    pub delegated_work: SchemePermissions,
    /// Delegated, personal Microsoft account.
    pub delegated_personal: SchemePermissions,
    /// Application (no signed-in user).
    pub application: SchemePermissions,
    /// Where the table comes from.
    pub source: PermissionSource,
}

/// Where an operation's permissions table comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PermissionSource {
    /// The permissions file lists the operation's own path and method.
    #[default]
    Listed,
    /// The file does not list it: the table is that of `listed`, which acts on the same thing as `rule` says
    /// (e.g. `GET /users/{id}/events/{id}/attachments/{id}` for
    /// `GET /groups/{group-id}/calendar/events/{event-id}/attachments/{attachment-id}`, or `GET /users/{id}/notes`
    /// for `GET /users/{user-id}/notes/$count`).
    SameAs {
        /// The listed operation, `METHOD /path` as the file writes it (normalized).
        listed: String,
        /// How it acts on the same thing.
        rule: Inference,
    },
    /// Neither the operation nor one that acts on the same thing is listed: the schemes are all empty, which
    /// means unknown, not unsupported.
    Unlisted,
}

/// How an operation the permissions file does not list got the table of one it lists, from the most specific rule
/// to the coarsest: the order they are tried in. Measured on Microsoft's file by leaving each listed operation out
/// in turn ([`crate::permissions::PermissionIndex::leave_one_out`]), each gives the listed least-privileged
/// permissions 85% (by entity type) to 94% (by navigation) of the time; rules that did worse (an enclosing path's
/// table: 66%; an action as updating what it is bound to: 39%) are not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Inference {
    /// By path: `…/$count`, `…/$value` and `…/$ref` as the listed path they end.
    Path,
    /// The same method on the same navigation (or operation) of the same type, whatever path reaches it.
    Owner,
    /// Reading one item of that navigation as reading the list, or the other way round.
    OwnerItem,
    /// The same method on the same entity type within the same top-level area, whatever reaches it.
    Target,
    /// Reading one of those entities as reading a list of them, or the other way round.
    TargetItem,
    /// Changing the same thing by another method (`PATCH` as `PUT`, `DELETE` as `PATCH`…), by navigation, then
    /// by entity type.
    OtherWrite,
    /// Creating an item of a collection as changing one of its items by another method, or the other way round
    /// (`POST …/tabs` as `PATCH …/tabs/{id}`).
    OtherWriteItem,
}

impl Inference {
    /// Every rule, in the order they are tried.
    pub const ALL: [Inference; 7] = [
        Inference::Path,
        Inference::Owner,
        Inference::OwnerItem,
        Inference::Target,
        Inference::TargetItem,
        Inference::OtherWrite,
        Inference::OtherWriteItem,
    ];
}

impl Permissions {
    /// The table of an operation the permissions file says nothing about.
    pub fn unlisted() -> Self {
        Permissions { source: PermissionSource::Unlisted, ..Permissions::default() }
    }

    /// The table through an alias that names the signed-in user's own resource (`/me/…` for `/users/{id}/…`):
    /// an application without a user cannot call it (Graph refuses `/me` with an app-only token), whatever the
    /// file lists, so the application column is empty.
    pub fn delegated_only(self) -> Self {
        Permissions { application: SchemePermissions::default(), ..self }
    }

    /// The listed operation whose table this is, when it is not the operation's own.
    pub fn same_as(&self) -> Option<&str> {
        match &self.source {
            PermissionSource::SameAs { listed, .. } => Some(listed),
            _ => None,
        }
    }
}

/// The permissions of one scheme; both empty means the scheme is not supported.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemePermissions {
    /// The least privileged permission.
    pub least: Option<String>,
    /// Other permissions that also allow it, least privileged first.
    pub higher: Vec<String>,
}

/// What a request sends.
#[derive(Clone, Debug, PartialEq)]
pub enum RequestBody {
    /// A JSON value of this type.
    Json(TypeRef),
    /// A JSON value of this type sent as an update (PATCH): absent properties are left as they are, `null` ones
    /// cleared.
    Patch(TypeRef),
    /// Bytes as they are, with this content type (a file, a photo).
    Bytes {
        /// The `Content-Type`, e.g. `application/octet-stream`.
        content_type: String,
    },
}

/// How a successful response is read.
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseShape {
    /// Any 2xx; the body is ignored.
    NoContent,
    /// A JSON body of this type.
    Json(TypeRef),
    /// A JSON body of this type, or none: Graph often answers a PATCH, POST, PUT or DELETE with `204 No Content`
    /// although it describes a body (read as `Option<T>`).
    MaybeJson(TypeRef),
    /// A `text/plain` body parsed as this type (`String` or `I64`, e.g. a `$count`).
    Text(TypeRef),
    /// The body's bytes as they are.
    Bytes,
}

impl ResponseShape {
    /// The `Accept` header the request sends, when it is not JSON.
    pub fn accept(&self) -> Option<&'static str> {
        match self {
            ResponseShape::Text(_) => Some("text/plain"),
            ResponseShape::Bytes => Some("*/*"),
            ResponseShape::NoContent | ResponseShape::Json(_) | ResponseShape::MaybeJson(_) => None,
        }
    }
}

/// Documentation carried from the description.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// A link to the reference page, with its label.
    pub link: Option<(String, String)>,
}

/// A type's place in the crate.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypePath {
    /// The module that defines it.
    pub module: ModulePath,
    /// Its name.
    pub name: String,
}

impl TypePath {
    /// The path rustdoc resolves from anywhere in the crate, e.g. `crate::models::Widget`.
    pub fn doc_link(&self) -> String {
        let mut link = String::from("crate");
        for part in self.module.iter().chain([&self.name]) {
            link.push_str("::");
            link.push_str(part);
        }
        link
    }
}

/// `pub use target;` in `module`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reexport {
    /// The module that names the type too.
    pub module: ModulePath,
    /// The type.
    pub target: TypePath,
}

/// A use of a type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// Edm.Double: `msgraph_runtime::Double`, which also reads and writes `"NaN"`, `"INF"` and `"-INF"`.
    Double,
    /// Edm.DateTimeOffset: `msgraph_runtime::DateTimeOffset` (RFC 3339).
    DateTimeOffset,
    /// Edm.Date: `msgraph_runtime::Date` (`2026-11-27`).
    Date,
    /// Edm.TimeOfDay: `msgraph_runtime::TimeOfDay` (`13:45:00`).
    TimeOfDay,
    /// Edm.Duration: `msgraph_runtime::Duration` (ISO 8601, `PT1H30M`).
    Duration,
    /// Edm.Guid: `msgraph_runtime::Guid`.
    Guid,
    /// Edm.Binary and inlined Edm.Stream: `msgraph_runtime::Base64`.
    Base64,
    /// Any JSON value.
    Json,
    /// A generated type.
    Named(TypePath),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// A JSON object with values of one type: `Map<String, T>`.
    Map(Box<TypeRef>),
    /// A flags enumeration: a set of its members, written comma-separated.
    Flags(TypePath),
}

/// A generated type: a struct or an enum.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// Where it lives.
    pub path: TypePath,
    /// Where it comes from, for its docs, e.g. "The request body of `POST /me/sendMail`."
    pub origin: String,
    /// The file module it is written in, inside its module (`models::user` in `models/user.rs`), or `None` when it
    /// sits in its module's own file (next to the builder that uses it).
    pub file: Option<String>,
    /// Documentation.
    pub docs: Docs,
    /// What it is.
    pub shape: Shape,
}

impl TypeDef {
    /// A struct's fields; none for an enum.
    pub fn fields(&self) -> &[Field] {
        match &self.shape {
            Shape::Struct(s) => &s.fields,
            Shape::Enum(_) => &[],
        }
    }

    /// A struct's fields, to change them; none for an enum.
    pub fn fields_mut(&mut self) -> &mut [Field] {
        match &mut self.shape {
            Shape::Struct(s) => &mut s.fields,
            Shape::Enum(_) => &mut [],
        }
    }
}

/// What a [`TypeDef`] is.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A JSON object.
    Struct(Struct),
    /// A string with known values.
    Enum(Enumeration),
}

/// A JSON object as a struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    /// The type it extends (`allOf` with a reference, or CSDL's `BaseType`); its fields come first in `fields`.
    pub base: Option<TypePath>,
    /// Fields, the base's first (inherited, then own), each group ordered by wire name.
    pub fields: Vec<Field>,
    /// Whether unknown JSON properties are kept in an `additional_data` map.
    pub additional_data: bool,
    /// The `@odata.type` of a named type, e.g. `#microsoft.graph.user`: how a value declared as one of its base
    /// types says it is this one.
    pub odata_type: Option<String>,
}

/// A string enumeration; values the description does not list are kept, not rejected.
#[derive(Clone, Debug, PartialEq)]
pub struct Enumeration {
    /// The known values, in the description's order.
    pub members: Vec<Member>,
    /// Whether a value is a comma-separated set of members (`x-ms-enum-flags`, CSDL `IsFlags`).
    pub flags: bool,
}

/// One known value of an enumeration.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The variant name.
    pub rust_name: String,
    /// The value on the wire.
    pub wire: String,
}

/// One field of a struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The Rust name.
    pub rust_name: String,
    /// The JSON property name.
    pub wire_name: String,
    /// The value type, without `Option`/`Box`.
    pub ty: TypeRef,
    /// Whether the field is an `Option` (not required, or nullable).
    pub optional: bool,
    /// Whether `None` is left out when writing (true when the property is not required).
    pub skip_if_none: bool,
    /// Whether the value is boxed to break a cycle of types containing each other.
    pub boxed: bool,
    /// Whether it is a navigation property: a link to other entities (`manager`, `messages`), which Graph sends
    /// only when expanded. Its type is compiled only where a feature needs it (see [`crate::features`]).
    pub navigation: bool,
    /// Documentation.
    pub docs: Option<String>,
}
