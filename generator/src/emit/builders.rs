//! Request builders: the client, one builder per URL segment, their accessors and operations, and the
//! permissions and national-cloud tables of each operation.

use super::*;

/// `#[cfg(predicate)]`, or nothing.
pub(super) fn cfg_attr(predicate: Option<String>) -> Option<TokenStream> {
    let predicate: TokenStream = predicate?.parse().ok()?;
    Some(quote! { #[cfg(#predicate)] })
}

pub(super) fn builder_tokens(
    node: &Node,
    here: &[String],
    error_model: &TokenStream,
    areas: Option<&Areas>,
    tables: &Tables,
    aliases: &[&Alias],
    client: &str,
) -> TokenStream {
    let name = ident(&node.builder);
    let template = &node.template;
    let is_root = matches!(node.segment, Segment::Root);
    let mut docs = if is_root {
        "The entry point: every request starts here, e.g. `client.users()`.".to_owned()
    } else {
        format!("Builds requests for `{template}`.")
    };
    if let Some(description) = &node.description {
        docs.push_str("\n\n");
        docs.push_str(&sanitize_doc(description));
    }
    let docs = doc_attrs(&docs, false);
    let alias_accessors = aliases.iter().map(|alias| {
        let method = ident(&alias.accessor);
        let wire = &alias.wire;
        let builder = ident(&alias.builder);
        let module: Vec<Ident> = alias.module.iter().map(|m| ident(m)).collect();
        let source = format!("{}/{wire}", alias.parent.trim_end_matches('/'));
        let mut docs = format!(
            "Navigates to `{source}`, which stands for `{}`: every operation of that path, sent as `{source}/…`.",
            alias.target
        );
        if let Some(note) = areas.and_then(|a| a.module_note(&alias.module)) {
            docs.push_str("\n\n");
            docs.push_str(&note);
        }
        let docs = doc_attrs(&docs, false);
        let gate = cfg_attr(areas.and_then(|a| a.module_predicate(&alias.module)));
        quote! {
            #docs
            #gate
            pub fn #method(&self) -> crate::#(#module::)*#builder {
                crate::#(#module::)*#builder::new(self.base.segment(#wire))
            }
        }
    });
    let accessors = node.children.iter().map(|child| {
        let note = areas.and_then(|a| a.module_note(&child.module));
        let accessor = accessor_tokens(child, note.as_deref());
        let gate = cfg_attr(areas.and_then(|a| a.module_predicate(&child.module)));
        quote! { #gate #accessor }
    });
    // An operation (its method and constants) is behind its area's or part's feature.
    let gate = cfg_attr(areas.and(Areas::operation_predicate(&node.module)));
    let note = areas.and(Areas::operation_note(&node.module));
    let operations =
        node.operations.iter().map(|op| operation_tokens(node, op, here, &gate, note.as_deref(), tables, client));
    let constructors = if is_root {
        quote! {
            /// A client for [`DEFAULT_BASE_URL`] that authenticates with `provider`.
            ///
            /// # Panics
            ///
            /// When the HTTP client cannot be created (as `reqwest::Client::new` does); use [`Self::builder`] to
            /// handle that as an error.
            pub fn new(provider: impl msgraph_runtime::TokenProvider) -> Self {
                Self::builder().auth(provider).build().unwrap_or_else(|error| panic!("cannot create the client: {error}"))
            }

            /// A builder for a client in another national cloud (`.cloud(..)`), or with another base URL, HTTP client
            /// or token provider.
            pub fn builder() -> msgraph_runtime::ClientBuilder<Self, #error_model> {
                msgraph_runtime::ClientBuilder::new()
                    .default_base_url(DEFAULT_BASE_URL)
                    .sdk_version(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
            }

            /// The adapter that sends this client's requests.
            pub fn adapter(&self) -> &msgraph_runtime::RequestAdapter {
                self.base.adapter()
            }
        }
    } else {
        quote! {
            /// A builder for the path `base` points at; request builders are normally reached from the client.
            pub fn new(base: msgraph_runtime::BaseRequestBuilder) -> Self {
                Self { base }
            }
        }
    };
    let from_adapter = is_root.then(|| {
        quote! {
            impl From<msgraph_runtime::RequestAdapter> for #name {
                fn from(adapter: msgraph_runtime::RequestAdapter) -> Self {
                    Self { base: msgraph_runtime::BaseRequestBuilder::new(adapter) }
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug)]
        pub struct #name {
            base: msgraph_runtime::BaseRequestBuilder,
        }

        impl #name {
            #constructors
            #(#alias_accessors)*
            #(#accessors)*
            #(#operations)*
        }

        #from_adapter
    }
}

/// The method that navigates to `child`; `feature_note` (the features it needs) ends its docs.
pub(super) fn accessor_tokens(child: &Node, feature_note: Option<&str>) -> TokenStream {
    let method = ident(&child.accessor);
    let module = ident(child.module.last().map_or("", String::as_str));
    let builder = ident(&child.builder);
    let template = &child.template;
    match &child.segment {
        Segment::Parameter { wire, rust, description } => {
            let param = ident(rust);
            let mut docs = format!("Selects one item by `{wire}`: `{template}`.");
            if let Some(description) = description {
                docs.push_str("\n\n");
                docs.push_str(&sanitize_doc(description));
            }
            if let Some(note) = feature_note {
                docs.push_str("\n\n");
                docs.push_str(note);
            }
            let docs = doc_attrs(&docs, false);
            quote! {
                #docs
                pub fn #method(&self, #param: impl AsRef<str>) -> #module::#builder {
                    #module::#builder::new(self.base.parameter(#wire, #param.as_ref()))
                }
            }
        }
        Segment::Call { name, args } => {
            let mut docs = format!("Navigates to `{template}`.");
            if let Some(description) = &child.description {
                docs.push_str("\n\n");
                docs.push_str(&sanitize_doc(description));
            }
            if let Some(note) = feature_note {
                docs.push_str("\n\n");
                docs.push_str(note);
            }
            let docs = doc_attrs(&docs, false);
            let params = args.iter().filter(|a| a.alias.is_none()).map(|a| {
                let param = ident(&a.rust);
                if a.quoted {
                    quote! { #param: impl AsRef<str> }
                } else {
                    quote! { #param: impl std::fmt::Display }
                }
            });
            let values = args.iter().map(|a| {
                let param = ident(&a.rust);
                let wire = &a.wire;
                if let Some(alias) = &a.alias {
                    quote! { (#wire, msgraph_runtime::CallArg::Alias(#alias)) }
                } else if a.quoted {
                    quote! { (#wire, msgraph_runtime::CallArg::Quoted(#param.as_ref())) }
                } else {
                    quote! { (#wire, msgraph_runtime::CallArg::Raw(#param.to_string())) }
                }
            });
            quote! {
                #docs
                pub fn #method(&self, #(#params),*) -> #module::#builder {
                    #module::#builder::new(self.base.call(#name, &[#(#values),*]))
                }
            }
        }
        Segment::Static { wire } => {
            let mut docs = format!("Navigates to `{template}`.");
            if let Some(description) = &child.description {
                docs.push_str("\n\n");
                docs.push_str(&sanitize_doc(description));
            }
            if let Some(note) = feature_note {
                docs.push_str("\n\n");
                docs.push_str(note);
            }
            let docs = doc_attrs(&docs, false);
            quote! {
                #docs
                pub fn #method(&self) -> #module::#builder {
                    #module::#builder::new(self.base.segment(#wire))
                }
            }
        }
        Segment::Root => TokenStream::new(),
    }
}

pub(super) fn operation_tokens(
    node: &Node,
    op: &Operation,
    here: &[String],
    gate: &Option<TokenStream>,
    feature_note: Option<&str>,
    tables: &Tables,
    client: &str,
) -> TokenStream {
    let mut docs = String::new();
    let Docs { summary, description, link } = &op.docs;
    for part in [summary, description].into_iter().flatten() {
        docs.push_str(&sanitize_doc(part));
        docs.push_str("\n\n");
    }
    if let Some((label, url)) = link {
        docs.push_str(&format!("[{}]({})\n\n", sanitize_doc(label), url.replace([' ', '(', ')'], "")));
    }
    docs.push_str(&format!("`{} {}`", op.method.upper(), node.template));
    for aliased in &op.aliased {
        docs.push_str(&format!(
            ", or `{} {}` through the client's `{}()`",
            op.method.upper(),
            aliased.template,
            aliased.accessor
        ));
    }
    if matches!(op.body, Some(RequestBody::Patch(_))) {
        docs.push_str(
            "\n\nAbsent properties are left as they are; a property set to [`msgraph_runtime::Property::Null`] is \
             cleared.",
        );
    }
    if !op.query.is_empty() {
        let names: Vec<String> = op.query.iter().map(|q| format!("`{}`", q.replace('`', "'"))).collect();
        docs.push_str(&format!(
            "\n\nQuery parameters: {}. Set OData's with the request's `select`, `expand`, `filter`, `orderby`, \
             `search`, `top`, `skip` and `count`, any other with `query`.",
            names.join(", ")
        ));
    }
    if let Some(note) = feature_note {
        docs.push_str("\n\n");
        docs.push_str(note);
    }
    // Each example compiles as a doctest: the snippet is the body of a function given the client.
    for example in &op.examples {
        docs.push_str(&format!(
            "\n\n# Example\n\n```no_run\n# async fn example(graph_client: &{client}) -> Result<(), Box<dyn std::error::Error>> {{\n{example}\n# Ok(())\n# }}\n```"
        ));
    }
    let permissions_const = ident(&op.permissions_const);
    let clouds_const = ident(&op.clouds_const);
    if let Some(permissions) = &op.permissions {
        docs.push_str(&permissions_table(permissions));
        docs.push_str(&format!("\n\nAs data: [`Self::{permissions_const}`]."));
    }
    for aliased in &op.aliased {
        if let Some(permissions) = &aliased.permissions {
            let constant = &aliased.permissions_const;
            docs.push_str(&format!(
                "\n\nThrough `{}()` (`{} {}`):",
                aliased.accessor,
                op.method.upper(),
                aliased.template
            ));
            if permissions.source == PermissionSource::Unlisted {
                docs.push_str(" not listed either.");
            } else {
                docs.push_str("\n\n");
                docs.push_str(
                    permissions_table(permissions).trim_start().trim_start_matches("# Permissions").trim_start(),
                );
            }
            docs.push_str(&format!("\n\nAs data: [`Self::{constant}`]."));
        }
    }
    if let Some(clouds) = &op.clouds {
        docs.push_str(&clouds_table(clouds));
        docs.push_str(&format!(
            "\n\nAs data: [`Self::{clouds_const}`]. On a client built for another cloud the request fails with \
             [`msgraph_runtime::Error::NotAvailableInCloud`] without being sent."
        ));
    }
    let docs = doc_attrs(&docs, false);
    let name = ident(&op.rust_name);
    let method = format_ident!("{}", op.method.upper());
    let handler = match &op.response {
        ResponseShape::NoContent => quote! { msgraph_runtime::NoContent },
        ResponseShape::Json(ty) => {
            let ty = type_tokens(ty, here);
            quote! { msgraph_runtime::Json<#ty> }
        }
        ResponseShape::MaybeJson(ty) => {
            let ty = type_tokens(ty, here);
            quote! { msgraph_runtime::MaybeJson<#ty> }
        }
        ResponseShape::Text(ty) => {
            let ty = type_tokens(ty, here);
            quote! { msgraph_runtime::Text<#ty> }
        }
        ResponseShape::Bytes => quote! { msgraph_runtime::Bytes },
    };
    let accept = op.response.accept().map(|accept| quote! { .header("Accept", #accept) });
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let endpoint = format!("{} {}", op.method.upper(), node.template);
    let availability = op.clouds.as_ref().map(|_| quote! { .available_in(#endpoint, Self::#clouds_const) });
    let (params, body) = match &op.body {
        Some(RequestBody::Json(body) | RequestBody::Patch(body)) => {
            let body = type_tokens(body, here);
            (quote! { &self, body: &#body }, Some(quote! { .json_body(body) }))
        }
        Some(RequestBody::Bytes { content_type }) => {
            (quote! { &self, content: impl Into<Vec<u8>> }, Some(quote! { .bytes_body(#content_type, content) }))
        }
        None => (quote! { &self }, None),
    };
    let permissions_item = op.permissions.as_ref().map(|p| {
        let docs = doc_attrs(
            &if p.source == PermissionSource::Unlisted {
                format!(
                    "The permissions that allow [`Self::{}`] (`{endpoint}`): unknown, Microsoft's permissions \
                     reference does not list it ([`msgraph_runtime::Permissions::UNLISTED`]).",
                    op.rust_name
                )
            } else {
                format!(
                    "The permissions that allow [`Self::{}`] (`{endpoint}`), least privileged first: pass them to \
                     your token acquisition with [`msgraph_runtime::Permissions::scopes`].",
                    op.rust_name
                )
            },
            false,
        );
        let value = tables.permissions(p);
        quote! {
            #docs
            #gate
            pub const #permissions_const: msgraph_runtime::Permissions = #value;
        }
    });
    let aliased_items = op.aliased.iter().filter_map(|aliased| {
        let p = aliased.permissions.as_ref()?;
        let constant = ident(&aliased.permissions_const);
        let docs = doc_attrs(
            &format!(
                "The permissions that allow [`Self::{}`] through `{}()` (`{} {}`), least privileged first.",
                op.rust_name,
                aliased.accessor,
                op.method.upper(),
                aliased.template
            ),
            false,
        );
        let value = tables.permissions(p);
        Some(quote! {
            #docs
            #gate
            pub const #constant: msgraph_runtime::Permissions = #value;
        })
    });
    let clouds_item = op.clouds.as_ref().map(|clouds| {
        let docs = doc_attrs(
            &format!("The national clouds whose metadata declares [`Self::{}`] (`{endpoint}`).", op.rust_name),
            false,
        );
        let value = tables.clouds(clouds);
        quote! {
            #docs
            #gate
            pub const #clouds_const: &[msgraph_runtime::NationalCloud] = #value;
        }
    });
    quote! {
        #permissions_item
        #(#aliased_items)*
        #clouds_item
        #docs
        #gate
        #deprecated
        pub fn #name(#params) -> crate::Request<#handler> {
            self.base.request(msgraph_runtime::Method::#method)#availability #accept #body
        }
    }
}

/// The permissions table of a reference page, in markdown.
pub(super) fn permissions_table(p: &Permissions) -> String {
    if p.source == PermissionSource::Unlisted {
        return "\n\n# Permissions\n\nMicrosoft's permissions reference lists neither this operation nor one that acts \
                on the same thing: the table is unknown (its API reference page, if there is one, may say more)."
            .to_owned();
    }
    let mut out = String::from(
        "\n\n# Permissions\n\n\
         | Permission type | Least privileged permissions | Higher privileged permissions |\n\
         |---|---|---|\n",
    );
    for (scheme, s) in [
        ("Delegated (work or school account)", &p.delegated_work),
        ("Delegated (personal Microsoft account)", &p.delegated_personal),
        ("Application", &p.application),
    ] {
        let (least, higher) = match (&s.least, s.higher.is_empty()) {
            (None, true) => ("Not supported.".to_owned(), "Not supported.".to_owned()),
            (least, _) => (
                least.as_deref().map_or_else(|| "Not available.".to_owned(), escape),
                if s.higher.is_empty() {
                    "Not available.".to_owned()
                } else {
                    s.higher.iter().map(|h| escape(h)).collect::<Vec<_>>().join(", ")
                },
            ),
        };
        out.push_str(&format!("| {scheme} | {least} | {higher} |\n"));
    }
    if let PermissionSource::SameAs { listed, rule } = &p.source {
        let how = match rule {
            Inference::Path => "of which this is the count, the content or a reference",
            Inference::Owner => "which acts on the same thing by the same method",
            Inference::OwnerItem => "which reads the same thing (one item of it, or the list)",
            Inference::Target => "which acts on the same entity type, in the same area, by the same method",
            Inference::TargetItem => "which reads the same entity type (one item of it, or a list), in the same area",
            Inference::OtherWrite => "which changes the same thing by another method",
            Inference::OtherWriteItem => {
                "which changes the same thing (one item of it, or the collection) by another method"
            }
        };
        out.push_str(&format!(
            "\nMicrosoft's permissions reference does not list this path: this is the table of `{}`, {how}.\n",
            listed.replace('`', "'")
        ));
    }
    out.trim_end().to_owned()
}

/// The national cloud availability table of a reference page, in markdown.
pub(super) fn clouds_table(clouds: &[Cloud]) -> String {
    let header: Vec<&str> = Cloud::ALL.iter().map(|c| c.display_name()).collect();
    let marks: Vec<&str> = Cloud::ALL.iter().map(|c| if clouds.contains(c) { "✅" } else { "❌" }).collect();
    format!(
        "\n\n# National cloud availability\n\n| {} |\n|{}\n| {} |",
        header.join(" | "),
        "---|".repeat(header.len()),
        marks.join(" | ")
    )
}

pub(super) fn permissions_tokens(p: &Permissions) -> TokenStream {
    let source = match p.source {
        PermissionSource::Listed => quote! { msgraph_runtime::PermissionSource::Listed },
        PermissionSource::SameAs { .. } => quote! { msgraph_runtime::PermissionSource::Inferred },
        PermissionSource::Unlisted => return quote! { msgraph_runtime::Permissions::UNLISTED },
    };
    let scheme = |s: &SchemePermissions| {
        if s.least.is_none() && s.higher.is_empty() {
            return quote! { msgraph_runtime::SchemePermissions::NOT_SUPPORTED };
        }
        let least = match &s.least {
            Some(l) => quote! { Some(#l) },
            None => quote! { None },
        };
        let higher = &s.higher;
        quote! { msgraph_runtime::SchemePermissions { least: #least, higher: &[#(#higher),*] } }
    };
    let (work, personal, application) =
        (scheme(&p.delegated_work), scheme(&p.delegated_personal), scheme(&p.application));
    quote! {
        msgraph_runtime::Permissions {
            delegated_work: #work,
            delegated_personal: #personal,
            application: #application,
            source: #source,
        }
    }
}
