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

    /// Each configured alias with the builder it returns (an alias whose parent path the crate does not have is
    /// left out); every operation below a root alias's target learns how it is reached through it.
    pub(super) fn aliases(&mut self, root: &mut Node) -> Vec<model::Alias> {
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
        for (key, target) in self.options.aliases {
            let (parent, wire) = alias_parts(key);
            if find_template_mut(root, target).is_none() {
                if parent == "/" {
                    self.errors.push(Error::at_pointer(
                        self.options.config_file,
                        &pointer_push(&format!("#/crate/{}/aliases", self.options.config_index), key),
                        format!("`{target}` is not a path of the selected operations, so `{key}` cannot stand for it"),
                    ));
                }
                continue;
            }
            let parent_template = if parent == "/" {
                "/".to_owned()
            } else {
                match find_template_mut(root, &parent) {
                    Some(p) => p.template.clone(),
                    None => continue,
                }
            };
            let Some(node) = find_template_mut(root, target) else { continue };
            let alias = model::Alias {
                parent: parent_template,
                wire: wire.to_owned(),
                accessor: naming::snake(wire),
                target: node.template.clone(),
                module: node.module.clone(),
                builder: node.builder.clone(),
            };
            if parent == "/" {
                visit(node, &alias);
            }
            aliases.push(alias);
        }
        aliases
    }

    /// For a path below an alias (`/me/sendMail`, `/me/drive/root/children`), the same path below the alias's
    /// target (`/users/{user-id}/sendMail`, `/drives/{drive-id}/items/{driveItem-id}/children`), aliases within
    /// aliases followed.
    pub(super) fn alias_target(&self, path: &str) -> Option<String> {
        let mut segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(str::to_owned).collect();
        let mut changed = false;
        // Each alias shortens nothing and targets are finite, so a few rounds reach the end; a loop is cut short.
        for _ in 0..8 {
            let hit = self.options.aliases.iter().find_map(|(key, target)| {
                let source: Vec<&str> = if key.starts_with('/') {
                    key.split('/').filter(|s| !s.is_empty()).collect()
                } else {
                    vec![key.as_str()]
                };
                let matches =
                    source.len() <= segments.len() && source.iter().zip(&segments).all(|(a, b)| same_segment(a, b));
                matches.then_some((source.len(), target))
            });
            let Some((len, target)) = hit else { break };
            let rest = segments.split_off(len);
            segments = target.split('/').filter(|s| !s.is_empty()).map(str::to_owned).chain(rest).collect();
            changed = true;
        }
        changed.then(|| format!("/{}", segments.join("/")))
    }
}

/// `me` → (`/`, `me`); `/users/{user-id}/drive` → (`/users/{user-id}`, `drive`).
pub(super) fn alias_parts(key: &str) -> (String, &str) {
    match key.rsplit_once('/') {
        Some((parent, wire)) if key.starts_with('/') => {
            (if parent.is_empty() { "/".to_owned() } else { parent.to_owned() }, wire)
        }
        _ => ("/".to_owned(), key),
    }
}

/// Two template segments are the same without case, a parameter matching any parameter.
fn same_segment(a: &str, b: &str) -> bool {
    (a.starts_with('{') && b.starts_with('{')) || a.eq_ignore_ascii_case(b)
}

fn find_template_mut<'n>(node: &'n mut Node, template: &str) -> Option<&'n mut Node> {
    if crate::spec::normalize_path(&node.template, None) == crate::spec::normalize_path(template, None) {
        return Some(node);
    }
    node.children.iter_mut().find_map(|c| find_template_mut(c, template))
}
