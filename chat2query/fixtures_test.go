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

// §6.1 POST /v3/dataSummaries.
const fixtureCreateSummary = `{ "code": 200, "msg": "", "result": { "data_summary_id": 304823, "job_id": "fb99ef785da640ab87bf69afed60903d" } }`

// §6.4 the v3 DataSummaryObject, its placeholders filled in: one table's
// relationships as an object (the docs), another's as an array (PingCAP's
// clients).
const fixtureDataSummary = `{
  "cluster_id": "10140100115280519574",
  "data_summary_id": 304823,
  "database": "sp500insight",
  "default": false,
  "status": "done",
  "description": { "system": "A database of S&P 500 companies.", "user": "Data summary for SP500 Insight" },
  "keywords": ["User_Stock_Selection", "Index_Composition"],
  "summary": "Financial data source for stock market analysis",
  "relationships": {
    "companies": { "referencing_table": "index_compositions", "referencing_table_column": "stock_symbol",
                   "referenced_table": "companies", "referenced_table_column": "stock_symbol" },
    "users": [ { "referencing_table": "user_stock_selections", "referencing_table_column": "user_id",
                 "referenced_table": "users", "referenced_table_column": "id" } ]
  },
  "tables": {
    "companies": {
      "name": "companies",
      "description": "This table provides ...",
      "columns": { "city": { "name": "city", "description": "The city where ..." } }
    }
  }
}`

// §9 POST /v3/knowledgeBases.
const fixtureKnowledgeBase = `{"code":200,"msg":"","result":{"default": true, "description": "", "knowledge_base_id": 2}}`

// §10.1 POST /v3/refineSql, as tisqleditor's comment shows it.
const fixtureRefineSQL = `{ "code": 200, "msg": "", "result": { "job_id": "xxx", "session_id": "yyy" } }`

// §10.1 the refineSql job, done.
const fixtureRefineJob = `{"code":200,"msg":"","result":{"job_id":"xxx","status":"done","ended_at":1718785006,"reason":"",
  "result":{"rewritten_sql":"SELECT * FROM games LIMIT 10;","solution":"Changed the limit to 10."}}}`

// §11.1 POST /v2/dataSummaries.
const fixtureCreateSummaryV2 = `{"code":200,"msg":"","result":{"data_summary_id": 481235, "job_id": "79c2b3d36c074943ab06a29e45dd5887"}}`

// §11.1/§11.2 GET /v2/dataSummaries/{id} of the older docs: cluster_id a
// bare number that float64 would round.
const fixtureSummaryV2Record = `{"code":200,"msg":"","result":{
  "created_at": 1701234567, "creator": "you@example.com", "id": 481235, "name": "data-context", "org_id": 1, "type": "data",
  "updated_at": 1701234999,
  "data": {
    "cluster_id": 10140100115280519574, "db_name": "sp500insight", "org_id": "1", "project_id": 1372813089454543369,
    "short_summary": "S&P 500 data", "status": "done", "summary": "Stock market data", "summary_keywords": ["stocks"],
    "db_schema": { "users": { "table_name": "users", "description": "The users.", "key_attributes": ["id"], "primary_key": "id",
      "status": "done", "columns": { "id": { "name": "id", "type": "int", "nullable": false, "default": null, "description": "The id." },
                                     "email": { "name": "email", "type": "varchar(255)", "nullable": "YES", "description": "The email." } } } },
    "entity": { "user": { "name": "user", "summary": "A user.", "attributes": ["email"], "involved_tables": ["users"] } },
    "table_relationship": {}
  } }}`

// §11.3 the v2 chat2data job result.
const fixtureChat2DataV2Result = `{ "question_id": "8c4c15cf-a808-45b8-bff7-2ca819a1b6d5", "raw_question": "count the users",
  "task_tree": { "0": { "task_id": "0", "task": "count the users", "clarified_task": "count the users",
                        "description": "", "sequence_no": 0,
                        "columns": [ {"col": "user_count"} ], "rows": [ ["1"] ],
                        "sql": "SELECT COUNT(` + "`user_id`" + `) AS ` + "`user_count`" + ` FROM ` + "`users`" + `;" } },
  "time_elapsed": 3.854671001434326 }`

// §12 the v1 answer, verbatim.
const fixtureV1Answer = `{ "type": "chat2data_endpoint",
  "data": { "columns": [ {"col": "COUNT(` + "`user_id`" + `)", "data_type": "BIGINT", "nullable": false} ],
            "rows": [ {"COUNT(` + "`user_id`" + `)": "1"} ],
            "result": { "code": 200, "message": "Query OK!", "start_ms": 1699529488292,
                        "end_ms": 1699529491901, "latency": "3.609656403s", "row_count": 1,
                        "row_affect": 0, "limit": 1000,
                        "sql": "SELECT COUNT(` + "`user_id`" + `) FROM ` + "`users`" + `;", "ai_latency": "3.054822491s" } } }`

// §3.2/§12 a v1 SQL failure: HTTP 200, code 1146, empty time strings.
const fixtureV1SQLError = `{ "type": "chat2data_endpoint", "data": { "columns": [], "rows": [],
            "result": { "code": 1146, "message": "Table 'sp500insight.user' doesn't exist", "start_ms": "", "end_ms": "",
                        "latency": "", "row_count": 0, "row_affect": 0, "limit": 0, "sql": "SELECT * FROM user;" } } }`
