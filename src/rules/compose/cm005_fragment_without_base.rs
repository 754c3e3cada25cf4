//! CM005 `fragment-without-base`. A compose file written to complete a base
//! file, linted without it; reported while the run groups files into projects.
//!
//! The check itself runs in the engine (`crate::engine`, `crate::diagnostic::codes`);
//! this file declares the rule and tests what users see.

declare_rule! {
    /// A compose file written to be merged on a base file, linted without one.
    pub FragmentWithoutBase {
        code: "CM005", name: "fragment-without-base",
        category: Input, severity: Info, fix: FixKind::None, since: "0.2.0",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    /// `app` has no image: the file completes a base that is not here.
    const ALONE: &[(&str, &str)] = &[(
        "compose.redis.yaml",
        "services:\n  app:\n    environment:\n      REDIS_URL: redis://cache:6379\n  cache:\n    image: redis:7.4\n",
    )];

    #[test]
    fn a_fragment_without_its_base_is_noted_once_and_judged_on_what_it_sets() {
        let all = crate::rules::testing::all_findings(ALONE);
        let codes: Vec<&str> = all.iter().map(|d| d.code).collect();
        assert_eq!(codes.iter().filter(|c| **c == "CM005").count(), 1);
        // `app` lacks everything a base would set: no finding at its key;
        // `cache` is complete and judged in full.
        let at_app = all
            .iter()
            .filter(|d| d.code != "CM005" && d.message.contains("`app`"))
            .count();
        assert_eq!(at_app, 0, "{all:?}");
        assert!(codes.contains(&"CM101"));
    }

    #[test]
    fn a_fragment_beside_the_base_it_completes_is_merged_on_it() {
        let with_base = [
            (
                "compose.yaml",
                "services:\n  app:\n    image: example/app:1.4\n",
            ),
            ALONE[0],
        ];
        assert!(findings("CM005", &with_base).is_empty());
        // the merged project still judges what the fragment adds
        let all = crate::rules::testing::all_findings(&with_base);
        assert!(all
            .iter()
            .any(|d| d.code == "CM101" && d.message.contains("`cache`")));
    }

    #[test]
    fn dangling_names_a_base_defines_make_a_fragment_too() {
        let files = [
            ("compose.yaml", "services:\n  db:\n    image: postgres:17\n"),
            (
                "ops/compose.backup.yaml",
                "services:\n  backup:\n    image: example/backup:1.0\n    depends_on: [db]\n",
            ),
        ];
        let all = crate::rules::testing::all_findings(&files);
        assert!(all.iter().all(|d| d.code != "CM002"), "{all:?}");
        assert!(all.iter().all(|d| d.code != "CM005"), "merged on the base");
        let alone = [files[1]];
        let all = crate::rules::testing::all_findings(&alone);
        assert!(
            all.iter().any(|d| d.code == "CM002"),
            "no base: a real error"
        );
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("CM005", &[ALONE]));
    }
}
