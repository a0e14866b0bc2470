//! The URL tree: one node per path segment, named as Kiota names request builders (modules, builder types,
//! accessors), with the operations of each path.
use std::collections::BTreeSet;

use super::*;

impl<'a, 'd> Lowerer<'a, 'd> {
    pub(super) fn insert(&mut self, root: &mut RawNode<'d>, selected: Selected<'d>) {
        let pointer = pointer_push("#/paths", selected.source);
        let mut node = root;
        let mut template = String::new();
        for segment in selected.path.split('/').filter(|s| !s.is_empty()) {
            template.push('/');
            template.push_str(segment);
            let key = match parameter_name(segment) {
                Ok(Some(name)) => {
                    let key_type = self.key_type(selected.item, selected.op, name);
                    let child = node.children.entry("{}".to_owned()).or_default();
                    match &child.parameter {
                        Some((existing, _)) if existing != name => {
                            self.unsupported(
                                &pointer,
                                &format!("path parameter `{{{name}}}` where another path has `{{{existing}}}` at the same place"),
                            );
                        }
                        Some(_) => {}
                        None => child.parameter = Some((name.to_owned(), key_type)),
                    }
                    "{}".to_owned()
                }
                Ok(None) => segment.to_owned(),
                Err(()) if parse_call(segment).is_some() => segment.to_owned(),
                Err(()) => {
                    self.unsupported(&pointer, &format!("path segment `{segment}` mixes text and parameters"));
                    return;
                }
            };
            node = node.children.entry(key).or_default();
            node.template.clone_from(&template);
        }
        if node.description.is_none() {
            node.description.clone_from(&selected.item.description);
        }
        node.operations.push(selected);
    }

    /// The `x-ms-docs-key-type` of the path parameter `name`, if declared.
    pub(super) fn key_type(&mut self, item: &PathItem, op: &crate::openapi::Operation, name: &str) -> Option<String> {
        op.parameters
            .iter()
            .chain(&item.parameters)
            .filter_map(|p| self.resolve_parameter(p))
            .find(|p| p.location == "path" && p.name == name)
            .and_then(|p| p.key_type.clone())
    }

    pub(super) fn resolve_parameter(&self, p: &'d Parameter) -> Option<&'d Parameter> {
        match &p.reference {
            None => Some(p),
            Some(r) => r.strip_prefix(PARAMETER_REF).and_then(|name| self.doc.components.parameters.get(name)),
        }
    }

    /// Names a node (its module, builder and accessor) and its subtree.
    pub(super) fn name_node(
        &mut self,
        raw: RawNode<'d>,
        module: ModulePath,
        segment: Segment,
        accessor: String,
        builder: String,
        error_types: &mut BTreeSet<Option<TypePath>>,
    ) -> Node {
        let prefix = builder.strip_suffix("RequestBuilder").unwrap_or(&builder).to_owned();
        // Methods of this builder: operations first, then one accessor per child.
        let mut methods = Scope::new();
        for name in model::BUILDER_METHODS {
            methods.claim((*name).to_owned());
        }
        // Alias accessors (`me`, `drive`) come first: they are named by the config.
        for key in self.options.aliases.keys() {
            let (parent, wire) = super::select::alias_parts(key);
            let here =
                if module.is_empty() { "/".to_owned() } else { crate::spec::normalize_path(&raw.template, None) };
            if (parent == "/" && module.is_empty())
                || (parent != "/" && crate::spec::normalize_path(&parent, None) == here)
            {
                methods.claim(naming::snake(wire));
            }
        }
        let mut operations = Vec::new();
        for selected in &raw.operations {
            let rust_name = methods.claim(selected.method.lower().to_owned());
            if let Some(op) = self.operation(selected, &module, &prefix, rust_name, error_types) {
                operations.push(op);
            }
        }
        operations.sort_by_key(|o| o.method);
        let mut children = Vec::new();
        for (key, child) in raw.children {
            let (child_module_name, child_segment, child_accessor, child_builder) = match &child.parameter {
                Some((wire, key_type)) if key == "{}" => {
                    let rust = naming::snake(wire);
                    let item = match key_type {
                        Some(k) => k.as_str(),
                        None => wire.trim_end_matches("-id").trim_end_matches("Id"),
                    };
                    let description = self.parameter_description(&child, wire);
                    (
                        model::ITEM_MODULE.to_owned(),
                        Segment::Parameter { wire: wire.clone(), rust: rust.clone(), description },
                        methods.claim(format!("by_{rust}")),
                        naming::camel(&format!("{item} item request builder")),
                    )
                }
                _ => match parse_call(&key) {
                    Some((function, args)) => {
                        // Kiota's naming: `delta(token='{token}')` is `deltaWithToken`.
                        let name = naming::strip_namespace(function, self.options.strip_namespace);
                        let mut words = name.to_owned();
                        for arg in args.iter().filter(|a| a.alias.is_none()) {
                            words.push_str(" with ");
                            words.push_str(arg.name);
                        }
                        let mut arg_names = Scope::new();
                        arg_names.claim("self".to_owned());
                        let args = args
                            .into_iter()
                            .map(|arg| crate::model::CallArg {
                                rust: arg_names.claim(naming::snake(arg.name)),
                                wire: arg.name.to_owned(),
                                quoted: arg.quoted,
                                alias: arg.alias.map(str::to_owned),
                            })
                            .collect();
                        (
                            naming::snake(&words),
                            Segment::Call { name: function.to_owned(), args },
                            methods.claim(not_a_trait_method(naming::snake(&words))),
                            naming::camel(&format!("{words} request builder")),
                        )
                    }
                    None => {
                        let name = naming::strip_namespace(&key, self.options.strip_namespace);
                        (
                            naming::snake(name),
                            Segment::Static { wire: key.clone() },
                            methods.claim(not_a_trait_method(naming::snake(name))),
                            naming::camel(&format!("{name} request builder")),
                        )
                    }
                },
            };
            let module_name = self.claim(&module, child_module_name);
            let mut child_module = module.clone();
            child_module.push(module_name);
            let builder = self.claim(&child_module, child_builder);
            children.push(self.name_node(child, child_module, child_segment, child_accessor, builder, error_types));
        }
        // A path whose operations could all not be lowered (only when keeping going) leaves no empty builder.
        children.retain(|c| !c.operations.is_empty() || !c.children.is_empty());
        children.sort_by(|a, b| a.accessor.cmp(&b.accessor));
        Node {
            module,
            builder,
            template: if raw.template.is_empty() { "/".to_owned() } else { raw.template },
            segment,
            accessor,
            children,
            operations,
            description: raw.description,
        }
    }

    pub(super) fn parameter_description(&self, node: &RawNode<'d>, wire: &str) -> Option<String> {
        fn first<'x>(node: &'x RawNode<'_>) -> Option<&'x Selected<'x>> {
            node.operations.first().or_else(|| node.children.values().find_map(first))
        }
        let selected = first(node)?;
        selected
            .op
            .parameters
            .iter()
            .chain(&selected.item.parameters)
            .filter_map(|p| self.resolve_parameter(p))
            .find(|p| p.location == "path" && p.name == wire)
            .and_then(|p| p.description.clone())
    }
}

/// Methods of traits every builder implements or users call on values (`clone`, `to_string`, …): a path segment
/// named like one gets a `_` suffix, as a keyword does, so that `team.clone_()` is the `/clone` action and
/// `team.clone()` still clones the builder.
const TRAIT_METHODS: &[&str] =
    &["clone", "clone_from", "fmt", "eq", "ne", "hash", "default", "into", "try_into", "to_owned", "to_string"];

pub(super) fn not_a_trait_method(name: String) -> String {
    if TRAIT_METHODS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// An argument of an OData function call or alternate key in a path template.
pub(super) struct ParsedArg<'s> {
    /// The argument's name, e.g. `token`.
    name: &'s str,
    /// Whether its value is a quoted string literal.
    quoted: bool,
    /// For `name=@alias` (Microsoft writes `name='@alias'` for strings): the alias.
    alias: Option<&'s str>,
}

/// `delta(token='{token}')`, `cell(row={row},column={column})`, `getAllRecordings(userId='@userId')`: the name and
/// the arguments; `None` when the segment is not a call with arguments.
pub(super) fn parse_call(segment: &str) -> Option<(&str, Vec<ParsedArg<'_>>)> {
    let (name, rest) = segment.split_once('(')?;
    let inner = rest.strip_suffix(')')?;
    if name.is_empty() || name.contains(['{', '}', '\'']) || inner.is_empty() {
        return None;
    }
    let mut args = Vec::new();
    for part in inner.split(',') {
        let (arg, value) = part.split_once('=')?;
        let (value, quoted) = match value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            Some(v) => (v, true),
            None => (value, false),
        };
        if arg.is_empty() || arg.contains(['{', '}', '\'', '(', ')', '@']) {
            return None;
        }
        let alias = match value.strip_prefix('@') {
            Some(alias) if !alias.is_empty() && !alias.contains(['{', '}', '\'']) => Some(alias),
            Some(_) => return None,
            None => {
                // The placeholder's name may differ from the argument's (`column={column1}`): only its place counts.
                let placeholder = value.strip_prefix('{')?.strip_suffix('}')?;
                if placeholder.is_empty() || placeholder.contains(['{', '}']) {
                    return None;
                }
                None
            }
        };
        args.push(ParsedArg { name: arg, quoted, alias });
    }
    Some((name, args))
}

/// `{name}` → `Some(name)`, a literal → `None`, anything mixing the two → `Err`.
pub(super) fn parameter_name(segment: &str) -> std::result::Result<Option<&str>, ()> {
    if !segment.contains(['{', '}']) {
        return Ok(None);
    }
    match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        Some(name) if !name.is_empty() && !name.contains(['{', '}']) => Ok(Some(name)),
        _ => Err(()),
    }
}
