// Runs a script of an `actions/github-script` step as github-script does (an async function
// of require, github, context and core) against a fake GitHub: the API calls it makes are
// recorded, not sent. Prints JSON: {"calls": [{"method", "params"}], "outputs": {...},
// "failed": message | null, "threw": message | null, "notices": [...]}.
// Usage: RUNNER_TEMP=DIR node comment.cjs SCRIPT_FILE SCENARIO_JSON
// The scenario: {"workflow_run": {...}, "repo": {"owner", "repo"}, "artifacts": [...],
// "pulls": {"<number>": {...}}, "comments": [...]}.
const fs = require('fs');

(async () => {
  const [scriptFile, scenarioJson] = process.argv.slice(2);
  const script = fs.readFileSync(scriptFile, 'utf8');
  const scenario = JSON.parse(scenarioJson);
  const result = { calls: [], outputs: {}, failed: null, threw: null, notices: [] };
  const record = (method, params, data) => {
    result.calls.push({ method, params });
    return { data };
  };
  const notFound = () => Object.assign(new Error('Not Found'), { status: 404 });
  const github = {
    rest: {
      actions: {
        listWorkflowRunArtifacts: async (p) =>
          record('actions.listWorkflowRunArtifacts', p, { artifacts: scenario.artifacts || [] }),
      },
      pulls: {
        get: async (p) => {
          const pr = (scenario.pulls || {})[String(p.pull_number)];
          record('pulls.get', p, pr);
          if (!pr) throw notFound();
          return { data: pr };
        },
      },
      issues: {
        listComments: async (p) => record('issues.listComments', p, scenario.comments || []),
        createComment: async (p) => record('issues.createComment', p, { id: 1000 }),
        updateComment: async (p) => record('issues.updateComment', p, { id: p.comment_id }),
      },
    },
    // As Octokit's: the items of every page (of a list, or of the list a response holds).
    paginate: async (method, params) => {
      const { data } = await method(params);
      return Array.isArray(data) ? data : Object.values(data).find(Array.isArray) || [];
    },
  };
  const core = {
    setOutput: (name, value) => { result.outputs[name] = String(value); },
    setFailed: (message) => { result.failed = String(message); },
    notice: (message) => { result.notices.push(String(message)); },
    info: () => {},
    warning: (message) => { result.notices.push(String(message)); },
  };
  const context = {
    repo: scenario.repo || { owner: 'org', repo: 'archive' },
    payload: { workflow_run: scenario.workflow_run || {} },
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  try {
    await new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core);
  } catch (e) {
    result.threw = String(e && e.message ? e.message : e);
  }
  console.log(JSON.stringify(result));
})();
