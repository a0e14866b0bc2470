//! Selection: which operations the include patterns pick, and where each goes in the URL tree (a path below an
//! alias goes below the alias's target).
use std::collections::BTreeSet;

use super::*;

impl<'a, 'd> Lowerer<'a, 'd> {
    /// The operations the patterns select; a pattern that selects nothing is an error.
    pub(super) fn select(&mut self) -> Vec<Selected<'d>> {
        let mut used = vec![false; self.options.patterns.len()];
        let mut selected = Vec::new();
        for (path, item) in &self.doc.paths {
            for (method, op) in item.operations() {
                let mut hit = false;
                for (i, pattern) in self.options.patterns.iter().enumerate() {
                    if pattern.matches(path, method.lower()) {
                        used[i] = true;
                        hit = true;
                    }
                }
                if hit {
                    selected.push(Selected { method, path: path.clone(), source: path, item, op });
                }
            }
        }
        // A path below an alias is the target's path: kept there unless the description has that one too.
        let own: BTreeSet<(Method, String)> = selected
            .iter()
            .filter(|s| self.alias_target(&s.path).is_none())
            .map(|s| (s.method, crate::spec::normalize_path(&s.path, None)))
            .collect();
        let mut aliased = Vec::new();
        selected.retain_mut(|s| match self.alias_target(&s.path) {
            None => true,
            Some(path) => {
                if !own.contains(&(s.method, crate::spec::normalize_path(&path, None))) {
                    s.path = path;
                    aliased.push(std::mem::replace(s, Selected { path: String::new(), ..*s }));
                }
                false
            }
        });
        selected.extend(aliased);
        for (i, pattern) in self.options.patterns.iter().enumerate() {
            if !used[i] {
                self.errors.push(Error::at_pointer(
                    self.options.config_file,
                    &format!("#/crate/{}/include/{i}", self.options.config_index),
                    format!(
                        "pattern `{}` matches no operation in {}",
                        pattern.as_str(),
                        self.options.spec_file.display()
                    ),
                ));
            }
        }
        selected
    }

    /// Each configured alias with the builder it returns; every operation below its target learns how it is
    /// reached through it.
    pub(super) fn aliases(&mut self, root: &mut Node) -> Vec<model::Alias> {
        fn find<'n>(node: &'n mut Node, template: &str) -> Option<&'n mut Node> {
            if node.template == template {
                return Some(node);
            }
            node.children.iter_mut().find_map(|c| find(c, template))
        }
        fn visit(node: &mut Node, alias: &model::Alias) {
            let template = format!("/{}{}", alias.wire, &node.template[alias.target.len()..]);
            for op in &mut node.operations {
                op.aliased.push(model::AliasedOperation {
                    alias: alias.wire.clone(),
                    accessor: alias.accessor.clone(),
                    template: template.clone(),
                    permissions: None,
                    permissions_const: format!("{}_{}", alias.accessor.to_ascii_uppercase(), op.permissions_const),
                });
            }
            for child in &mut node.children {
                visit(child, alias);
            }
        }
        let mut aliases = Vec::new();
        for (wire, target) in self.options.aliases {
            let Some(node) = find(root, target) else {
                self.errors.push(Error::at_pointer(
                    self.options.config_file,
                    &pointer_push(&format!("#/crate/{}/aliases", self.options.config_index), wire),
                    format!("`{target}` is not a path of the selected operations, so `{wire}` cannot stand for it"),
                ));
                continue;
            };
            let alias = model::Alias {
                wire: wire.clone(),
                accessor: naming::snake(wire),
                target: target.clone(),
                module: node.module.clone(),
                builder: node.builder.clone(),
            };
            visit(node, &alias);
            aliases.push(alias);
        }
        aliases
    }
}
