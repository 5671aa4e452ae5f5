// Runs a script of an `actions/github-script` step as github-script does (an async function
// of require, github, context and core) against a fake GitHub: the API calls it makes are
// recorded, not sent. Prints JSON: {"calls": [{"method", "params"}], "outputs": {...},
// "failed": message | null, "threw": message | null, "notices": [...]}.
// Usage: RUNNER_TEMP=DIR node comment.cjs SCRIPT_FILE SCENARIO_JSON
// The scenario: {"pull_request": {...} (the event's payload), "sha" (the base branch's
// commit the run is of), "run_id", "run_number", "repo": {"owner", "repo"},
// "pulls": {"<number>": {...}} (what the API answers now), "comments": [...]}.
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
  // As github-script's context of a pull_request_target run.
  const context = {
    repo: scenario.repo || { owner: 'org', repo: 'archive' },
    payload: scenario.pull_request === undefined ? {} : { pull_request: scenario.pull_request },
    sha: scenario.sha,
    runId: scenario.run_id,
    runNumber: scenario.run_number,
    serverUrl: 'https://github.com',
    eventName: 'pull_request_target',
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  try {
    await new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core);
  } catch (e) {
    result.threw = String(e && e.message ? e.message : e);
  }
  console.log(JSON.stringify(result));
})();
