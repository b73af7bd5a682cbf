//! The golden compare report over `seeds/`: refresh with `UPDATE_EXPECT=1 cargo test -p cli`.

use expect_test::expect_file;

use crate::{assert_schema_valid, assert_sorted_keys, stance};

#[test]
fn compare_seeds_golden() {
    let run = stance(&["compare", "seeds", "--format", "json"]);
    run.expect_code(0);
    assert_sorted_keys(&run.stdout);
    assert_schema_valid(&run.json());
    expect_file!["golden/compare_seeds.json"].assert_eq(&run.stdout);
}

#[test]
fn compare_seeds_is_deterministic_across_threads() {
    let one = stance(&["compare", "seeds", "--threads", "1"]);
    let four = stance(&["compare", "seeds", "--threads", "4"]);
    assert_eq!(
        one.stdout, four.stdout,
        "help: no output may depend on the thread count"
    );
}
