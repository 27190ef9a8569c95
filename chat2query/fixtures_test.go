package chat2query

// Response bodies of the examples in chat2query-api.md (section given on
// each). Those that are one endpoint's documented example are read from the
// contract fixtures in testdata/contract (see contract_test.go), which the
// emulator's contract test checks too; the rest are variants for the
// client's edge cases. §5's job example is not JSON (it shows the status
// union and comments), so the job fixtures fill it in with §7.3.

// The contract fixtures' responses.
var (
	fixtureSession           = string(loadContract("v3_sessions_create").Response)   // §8.1
	fixtureSessionChat2Data  = string(loadContract("v3_session_chat2data").Response) // §8.2
	fixtureChat2Data         = string(loadContract("v3_chat2data").Response)         // §7.2
	fixtureJobDone           = string(loadContract("v2_jobs_data_retrieval").Response)
	fixtureAnswerDirect      = loadContract("v2_jobs_data_retrieval").jobResult() // §7.3
	fixtureNotReady          = string(loadContract("error_not_ready").Response)   // §3.1
	fixtureGateway401        = string(loadContract("error_gateway_401").Response) // §3.2
	fixtureGatewayRPM        = string(loadContract("error_gateway_429_rpm").Response)
	fixtureGatewayDaily      = string(loadContract("error_gateway_429_daily").Response)
	fixtureCreateSummary     = string(loadContract("v3_data_summaries_create").Response)  // §6.1
	fixtureKnowledgeBase     = string(loadContract("v3_knowledge_bases_create").Response) // §9
	fixtureRefineJob         = string(loadContract("v3_refine_sql_job").Response)         // §10.1
	fixtureCreateSummaryV2   = string(loadContract("v2_data_summaries_create").Response)  // §11.1
	fixtureChat2DataV2Result = loadContract("v2_chat2data_job").jobResult()               // §11.3
	fixtureV1Answer          = string(loadContract("v1_chat2data").Response)              // §12
)

// §3.2 gateway envelopes.
const (
	fixtureGatewayExpired = `{ "type": "", "data": { "columns": [], "rows": [],
            "result": { "code": 49900002, "message": "API Key is no longer valid", "start_ms": "", "end_ms": "",
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

// §10.1 POST /v3/refineSql, as tisqleditor's comment shows it.
const fixtureRefineSQL = `{ "code": 200, "msg": "", "result": { "job_id": "xxx", "session_id": "yyy" } }`

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

// §3.2/§12 a v1 SQL failure: HTTP 200, code 1146, empty time strings.
const fixtureV1SQLError = `{ "type": "chat2data_endpoint", "data": { "columns": [], "rows": [],
            "result": { "code": 1146, "message": "Table 'sp500insight.user' doesn't exist", "start_ms": "", "end_ms": "",
                        "latency": "", "row_count": 0, "row_affect": 0, "limit": 0, "sql": "SELECT * FROM user;" } } }`
