//! Which variables an instruction sees: BuildKit's `ARG`/`ENV` scoping.

use std::collections::HashSet;

use super::expand::{expand, Expansion, Scope, Var, Vars};
use super::model::{Base, Dockerfile, Instruction, Kind, Word};
use crate::image_ref::ImageRef;
use crate::knowledge::images::is_official;

impl Dockerfile {
    /// The value of `ARG name[=default]`: a build argument wins over the default;
    /// without either, an `ARG` redeclaring a global one takes the global value,
    /// else it is unknown (it may be passed at build time).
    pub(super) fn arg_value(
        &self,
        name: &str,
        default: Option<&Word>,
        scope: &dyn Scope,
        meta: Option<&Vars>,
    ) -> Var {
        match self.build_args.get(name) {
            Some(Some(v)) => return Var::Known(v.clone()),
            Some(None) => return Var::Unknown,
            None => {}
        }
        match default {
            Some(d) => to_var(expand(&d.raw, self.escape, scope)),
            None => meta
                .and_then(|m| m.lookup(name))
                .cloned()
                .unwrap_or(Var::Unknown),
        }
    }

    /// The variables visible just before instruction `at` (an index into
    /// [`Dockerfile::instructions`]) of `stage`: its `ARG`s and `ENV`s so far,
    /// over the `ENV`s of the stages it builds on.
    pub fn vars_at(&self, stage: usize, at: usize) -> Vars {
        // The chain of stages this one builds on, root first.
        let mut chain = vec![stage];
        while let Some(&s) = chain.last() {
            match self.stages.get(s).map(|st| &st.base) {
                Some(Base::Stage(b)) if *b < s => chain.push(*b),
                _ => break,
            }
        }
        let mut vars = Vars::default();
        let mut env_names = HashSet::new();
        for (n, &s) in chain.iter().rev().enumerate() {
            let st = &self.stages[s];
            let end = if n + 1 == chain.len() {
                at.clamp(st.from + 1, st.end)
            } else {
                st.end
            };
            for instr in &self.instructions[st.from + 1..end] {
                self.apply(&instr.kind, &mut vars, &mut env_names);
            }
            if n + 1 < chain.len() {
                // only ENV carries over to stages built on this one
                let mut env = Vars::default();
                for name in &env_names {
                    if let Some(v) = vars.lookup(name) {
                        env.set(name, v.clone());
                    }
                }
                vars = env;
            }
        }
        vars
    }

    fn apply(&self, kind: &Kind, vars: &mut Vars, env_names: &mut HashSet<String>) {
        match kind {
            Kind::Arg(decls) => {
                for d in decls {
                    // An ENV of the same name wins over the ARG.
                    if env_names.contains(d.name.value.as_str()) {
                        continue;
                    }
                    let var = self.arg_value(
                        &d.name.value,
                        d.default.as_ref(),
                        &|n: &str| stage_var(vars, n),
                        Some(&self.meta),
                    );
                    vars.set(&d.name.value, var);
                }
            }
            Kind::Env(pairs) => {
                for p in pairs {
                    let var = to_var(expand(&p.value.raw, self.escape, &|n: &str| {
                        stage_var(vars, n)
                    }));
                    vars.set(&p.key.value, var);
                    env_names.insert(p.key.value.to_string());
                }
            }
            _ => {}
        }
    }

    /// `word`, written in instruction `at` of `stage`, with its variables substituted.
    pub fn resolve(&self, stage: usize, at: usize, word: &Word) -> Expansion {
        let vars = self.vars_at(stage, at);
        expand(&word.raw, self.escape, &|n: &str| stage_var(&vars, n))
    }
}

fn to_var(e: Expansion) -> Var {
    match e {
        Expansion::Known(v) => Var::Known(v),
        Expansion::Unknown => Var::Unknown,
    }
}

/// A variable inside a stage: what the stage declared; anything else may come
/// from the base image's environment, so it is unknown.
fn stage_var(vars: &Vars, name: &str) -> Var {
    vars.lookup(name).cloned().unwrap_or(Var::Unknown)
}

/// Who a container of an image built from some stage runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunsAs<'a> {
    /// root: the `USER` instruction that says so, or `None` when no stage of
    /// the chain sets a `USER` and the base is `scratch` or a Docker Official
    /// Image (which run as root unless their name says otherwise).
    Root(Option<&'a Instruction>),
    /// The user set by this `USER`.
    User(&'a Instruction),
    /// Whatever the base image sets, known to be unprivileged
    /// ([`crate::knowledge::images::runs_unprivileged`]: `…:nonroot`,
    /// `…-unprivileged`, Grafana, Bitnami, …).
    NonRootBase,
    /// No stage of the chain sets a `USER`, and the base is a pulled image
    /// that is neither `scratch` nor a Docker Official Image: its own `USER`
    /// decides, which only pulling it would tell.
    BaseDecides(&'a ImageRef),
    /// Depends on a variable or base we cannot know.
    Unknown,
}

/// Whether a `user[:group]` spec names root (`root`, `0`, `root:staff`, `0:0`).
pub fn is_root_user(spec: &str) -> bool {
    let user = spec.trim().split(':').next().unwrap_or("");
    user == "root" || user == "0"
}

impl Dockerfile {
    /// Who an image built from `stage` runs as: the last `USER` of the stage or
    /// the stages it builds on, else its base image.
    pub fn runs_as(&self, stage: usize) -> RunsAs<'_> {
        for s in self.stage_chain(stage) {
            let st = &self.stages[s];
            for idx in (st.from..st.end).rev() {
                let instr = &self.instructions[idx];
                if let Kind::User(word) = &instr.kind {
                    return match self.resolve(s, idx, word).known() {
                        Some(v) if is_root_user(v) => RunsAs::Root(Some(instr)),
                        Some(_) => RunsAs::User(instr),
                        None => RunsAs::Unknown,
                    };
                }
            }
        }
        match self.root_base(stage) {
            Some(Base::Image(image)) if crate::knowledge::images::runs_unprivileged(image) => {
                RunsAs::NonRootBase
            }
            Some(Base::Image(image)) if !is_official(image) => RunsAs::BaseDecides(image),
            Some(Base::Image(_) | Base::Scratch) => RunsAs::Root(None),
            _ => RunsAs::Unknown,
        }
    }
}
