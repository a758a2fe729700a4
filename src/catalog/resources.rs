//! Resource types: which ARN relative ids belong to which type (`rules/resource-types.json`).

use super::data::ResourceType;

pub struct CompiledType {
    pub spec: ResourceType,
    /// The literal text before the first placeholder of the relative id (`eip/`).
    pub literal_prefix: String,
    /// The relative-id template split into literal and placeholder parts.
    parts: Vec<TemplatePart>,
}

#[derive(Debug)]
enum TemplatePart {
    Literal(String),
    Placeholder,
}

pub struct ResourceTypes {
    pub types: Vec<CompiledType>,
    /// The indices into `types` of each service's types, in their order, by lower-case
    /// service code (sorted): a lookup, not a scan of every type per ARN.
    by_service: Vec<(String, Vec<usize>)>,
}

/// A resource type recognised in an ARN, with the resource id (the text of the last
/// placeholder) and its byte offset in the relative id.
pub struct TypeMatch<'t, 's> {
    pub ty: &'t CompiledType,
    pub id: &'s str,
    pub id_offset: usize,
}

fn split_template(relative: &str) -> Vec<TemplatePart> {
    let mut parts = Vec::new();
    let mut rest = relative;
    while let Some(open) = rest.find('{') {
        let (lit, after) = rest.split_at(open);
        if !lit.is_empty() {
            parts.push(TemplatePart::Literal(lit.to_string()));
        }
        match after.find('}') {
            Some(close) => {
                parts.push(TemplatePart::Placeholder);
                rest = after.get(close + 1..).unwrap_or_default();
            }
            None => {
                parts.push(TemplatePart::Literal(after.to_string()));
                rest = "";
            }
        }
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Literal(rest.to_string()));
    }
    parts
}

impl ResourceTypes {
    pub fn new(types: Vec<ResourceType>) -> Self {
        let types = types
            .into_iter()
            .map(|spec| {
                let relative = spec.arn.splitn(5, ':').nth(4).unwrap_or_default().to_string();
                let parts = split_template(&relative);
                let literal_prefix = match parts.first() {
                    Some(TemplatePart::Literal(l)) => l.clone(),
                    _ => String::new(),
                };
                CompiledType { spec, literal_prefix, parts }
            })
            .collect::<Vec<CompiledType>>();
        let mut by_service: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, ty) in types.iter().enumerate() {
            let service = ty.spec.service.to_ascii_lowercase();
            match by_service.binary_search_by(|(s, _)| s.as_str().cmp(&service)) {
                Ok(at) => by_service.get_mut(at).iter_mut().for_each(|(_, list)| list.push(i)),
                Err(at) => by_service.insert(at, (service, vec![i])),
            }
        }
        ResourceTypes { types, by_service }
    }

    /// The types of a service (case-insensitive), in the order of the data.
    pub fn of_service<'t>(&'t self, service: &str) -> impl Iterator<Item = &'t CompiledType> + 't {
        let indices = self
            .by_service
            .binary_search_by(|(s, _)| s.bytes().cmp(service.bytes().map(|b| b.to_ascii_lowercase())))
            .ok()
            .and_then(|at| self.by_service.get(at))
            .map_or(&[][..], |(_, list)| list.as_slice());
        indices.iter().filter_map(|&i| self.types.get(i))
    }

    pub fn get(&self, id: &str) -> Option<&CompiledType> {
        self.types.iter().find(|t| t.spec.id == id)
    }

    /// The type of `relative` among `service`'s types, when the relative id names one
    /// unambiguously by its literal path segments (`eip/...`). Wildcards in the relative id
    /// are plain characters here: `*/*` names no type.
    pub fn classify<'s>(&self, service: &str, relative: &'s str) -> Option<TypeMatch<'_, 's>> {
        let mut best: Option<(usize, TypeMatch<'_, 's>)> = None;
        for ty in self.of_service(service).filter(|t| !t.literal_prefix.is_empty()) {
            if let Some((id, id_offset)) = ty.match_relative(relative) {
                let weight: usize =
                    ty.parts.iter().map(|p| if let TemplatePart::Literal(l) = p { l.len() } else { 0 }).sum();
                if best.as_ref().is_none_or(|(w, _)| weight > *w) {
                    best = Some((weight, TypeMatch { ty, id, id_offset }));
                }
            }
        }
        best.map(|(_, m)| m)
    }
}

impl CompiledType {
    /// Matches the relative id against the template: literals must appear in order,
    /// placeholders take at least one character (the last one takes the rest).
    fn match_relative<'s>(&self, relative: &'s str) -> Option<(&'s str, usize)> {
        let mut pos = 0usize;
        let mut last_id = None;
        let count = self.parts.len();
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                TemplatePart::Literal(lit) => {
                    if relative.get(pos..)?.starts_with(lit.as_str()) {
                        pos += lit.len();
                    } else {
                        return None;
                    }
                }
                TemplatePart::Placeholder => {
                    let rest = relative.get(pos..)?;
                    let end = match self.parts.get(i + 1) {
                        Some(TemplatePart::Literal(next)) => rest.find(next.as_str())?,
                        _ => rest.len(),
                    };
                    if end == 0 || (i + 1 < count && rest.get(..end)?.contains('/') && !rest.contains('*')) {
                        return None;
                    }
                    last_id = Some((rest.get(..end)?, pos));
                    pos += end;
                }
            }
        }
        if pos != relative.len() {
            return None;
        }
        last_id
    }

    pub fn name(&self) -> &str {
        self.spec.name.as_deref().unwrap_or(&self.spec.id)
    }
}
