package chat2query

// Response bodies copied verbatim from the examples in chat2query-api.md
// (section given on each). §5's job example is not JSON (it shows the
// status union and comments), so the job fixtures fill it in with §7.3.

// §8.1 POST /v3/sessions.
const fixtureSession = `{ "code": 200, "msg": "",
  "result": { "messages": [],
              "meta": { "created_at": 1718948875, "creator": "<Your email>", "name": "<Your session name>",
                        "org_id": "1", "updated_at": 1718948875 },
              "session_id": 305685 } }`

// §8.2 POST /v3/sessions/{session_id}/chat2data.
const fixtureSessionChat2Data = `{"code":200,"msg":"","result":{"job_id":"d96b6fd23c5f445787eb5fd067c14c0b","session_id":305685}}`

// §7.2 POST /v3/chat2data.
const fixtureChat2Data = `{ "code": 200, "msg": "",
  "result": { "cluster_id": "10140100115280519574", "database": "sp500insight",
              "job_id": "20f7577088154d7889964f1a5b12cb26", "session_id": 304832 } }`

// §7.3 direct-mode answer.
const fixtureAnswerDirect = `{
  "assumptions": [],
  "chart_options": { "chart_name": "Table", "option": { "columns": ["total_users"] },
                     "title": "Total Number of Users in the Database" },
  "clarified_task": "Count the total number of users in the database.",
  "data": { "columns": [ { "col": "total_users" } ], "rows": [ [ "1" ] ] },
  "description": "",
  "sql": "SELECT COUNT(` + "`user_id`" + `) AS total_users FROM ` + "`users`" + `;",
  "sql_error": null,
  "status": "done",
  "task_id": "0",
  "type": "data_retrieval"
}`

// §5 with the §7.3 answer as its result.
const fixtureJobDone = `{ "code": 200, "msg": "",
  "result": {
    "job_id": "20f7577088154d7889964f1a5b12cb26",
    "status": "done",
    "ended_at": 1718785006,
    "reason": "",
    "result": ` + fixtureAnswerDirect + `
  } }`

// §3.1: the only documented v3 error.
const fixtureNotReady = `{"code":400,"msg":"Data summary is not ready, please wait for a while and retry","result":{}}`

// §3.2 gateway envelopes.
const (
	fixtureGateway401 = `{ "type": "", "data": { "columns": [], "rows": [],
            "result": { "code": 401, "message": "auth failed", "start_ms": "", "end_ms": "",
                        "latency": "", "row_count": 0, "row_affect": 0, "limit": 0 } } }`
	fixtureGatewayExpired = `{ "type": "", "data": { "columns": [], "rows": [],
            "result": { "code": 49900002, "message": "API Key is no longer valid", "start_ms": "", "end_ms": "",
                        "latency": "", "row_count": 0, "row_affect": 0, "limit": 0 } } }`
	fixtureGatewayRPM = `{ "type": "", "data": { "columns": [], "rows": [],
            "result": { "code": 49900007, "message": "API key rate limit exceeded. The limit can be increased up to 1000 requests per minute per API key in TiDB Cloud console. For an increase in quota beyond 1000 rpm, please contact us: https://tidb.support.pingcap.com/", "start_ms": "", "end_ms": "",
                        "latency": "", "row_count": 0, "row_affect": 0, "limit": 0 } } }`
	fixtureGatewayDaily = `{ "type": "chat2data_endpoint", "data": { "columns": [], "rows": [],
            "result": { "code": 429, "message": "The AI request exceeded the limit of 100 times per day. For more quota, please contact us: https://tidb.support.pingcap.com/", "start_ms": "", "end_ms": "",
                        "latency": "", "row_count": 0, "row_affect": 0, "limit": 0 } } }`
	fixtureGateway404 = `{ "type": "", "data": { "columns": [], "rows": [],
            "result": { "code": 404, "message": "endpoint not found", "start_ms": "", "end_ms": "",
                        "latency": "", "row_count": 0, "row_affect": 0, "limit": 0 } } }`
	fixtureGateway500 = `{ "type": "sql_endpoint", "data": { "columns": [], "rows": [],
            "result": { "code": 500, "message": "internal error! defaultPermissionHelper: rpc error: code = DeadlineExceeded desc = context deadline exceeded", "start_ms": "", "end_ms": "",
                        "latency": "", "row_count": 0, "row_affect": 0, "limit": 0 } } }`
)

// A breakdown answer (§7.3, as TiDB Insight renders it), with a numeric
// BIGINT that must survive exactly and the nullable fields null.
const fixtureAnswerBreakdown = `{ "type": "breakdown", "task_id": "0", "status": "done",
  "clarified_task": "Compare the largest companies and their sectors.", "description": "Two steps.",
  "assumptions": [ {"concept":"largest","explanation":"by market cap"} ],
  "sub_tasks": [
    { "type": "data_retrieval", "task_id": "0-0", "status": "done", "clarified_task": "Top company",
      "description": "", "sql": "SELECT cluster_id, market_cap FROM companies LIMIT 1;", "sql_error": null,
      "data": { "columns": [ {"col": "cluster_id"}, {"col": "market_cap"} ],
                "rows": [ [10140100115280519574, 2.5e12] ] },
      "chart_options": null, "assumptions": [] },
    { "type": "data_retrieval", "task_id": "0-1", "status": "done", "clarified_task": "Sectors",
      "description": "", "sql": "SELECT sector FROM sectors;", "sql_error": "Table 'sectors' doesn't exist",
      "data": { "columns": null, "rows": null }, "chart_options": null, "assumptions": [] },
    { "type": "data_retrieval", "task_id": "0-2", "status": "running", "data": null }
  ] }`
