// Package emulator is a local imitation of a TiDB Cloud Chat2Query Data App
// (chat2query-api.md). It speaks the same paths, envelopes, digest/basic auth
// and asynchronous job lifecycle, answers questions from an answer book and
// executes the answer's SQL on an embedded database, so c2q can run without
// credentials or quota.
//
// Job progress is computed from an injected clock when a job is read, never
// by goroutines or timers, so tests advance time instead of sleeping.
//
// # Endpoints
//
// Every endpoint of the reference is served under
// /api/v1beta/app/{app_id}/endpoint, so each curl example of the docs works
// with only the host changed. Where the reference leaves a shape or a rule
// undocumented, the emulator decides as follows.
//
// Data summaries (§6, §11). Every database the emulator serves starts with a
// data summary, id 304823 for the first, that is already "done" and is the
// database's default: existing flows need no extra request. A summary's
// content is derived from the database's schema (information_schema): the
// table and column descriptions are their COMMENTs, the keywords the tables'
// entity names (user_stock_selections -> User_Stock_Selection), the
// relationships the foreign keys, keyed by referencing table, each an array
// (one table may reference two; the docs' single object cannot say so, the
// client reads both). POST /v3/dataSummaries with reuse=false creates a new
// summary whose job takes the configured latency, status "inited" until then;
// it becomes the default when "default" is true (or the database has none).
// reuse=true returns the default summary with a job that ends when it does.
// While a database's default summary is not done, POST /v3/chat2data,
// /v3/sessions/{id}/chat2data, /v2/chat2data and /v3/suggestQuestions answer
// 400 "Data summary is not ready, please wait for a while and retry"; a
// chat2data naming only a data_summary_id uses that summary instead. The v3
// updates (PUT of a summary, a table, a table's columns) apply at once and
// answer the updated summary; unknown tables and columns are 400s. POST
// /v2/dataSummaries makes the new summary the default at once (v2 knew one
// per database); its job result is the v2 object, cluster_id a bare JSON
// number as documented; PUT /v2/dataSummaries/{id} applies at once and
// returns a job whose result is null.
//
// Sessions (§8). GET /v3/sessions/{id} lists each turn: its question, mode,
// feedback ids, job id, the job's status and, once done, its answer (the job
// result) or, once failed, the reason. GET /v3/sessions answers
// {"sessions": [{session_id, meta}]}. PUT /v3/sessions/{id} renames
// ({"name"} is required); PUT .../reset forgets the turns and the context, so
// a follow-up no longer resolves. Both answer the session.
//
// Knowledge bases (§9). The first knowledge base of a database is its
// default; lists answer {"knowledge_bases": [...]} and {"knowledge_data":
// [...]}. An item needs a known type, meta_data an object (absent means {}),
// raw_data with exactly the type's fields, all non-empty, and an instruction
// of at most 512 characters. The items of every knowledge base of the
// database change answers:
//   - a few-shot example whose question is the asked question answers with its
//     SQL. Two questions are the same when their words (lower-cased, without
//     punctuation) are equal or when at least 80 % of their distinct words are
//     shared (Jaccard index);
//   - a term-sheet entry rewrites the question, each term (a whole word,
//     ignoring case) replaced by its description; the rewritten question is
//     matched in the answer book first, then the question as asked. So
//     "MC" = "market cap" lets the book answer "the largest MC";
//   - instructions are kept and listed but change nothing.
//
// refineSql (§10.1) parses the SQL with TiDB's parser and applies a row
// limit ("limit 10", "top 3", "only 5") and the ORDER BY direction
// ("ascending", "descending", "reverse the order"); the job result is
// {rewritten_sql, solution}. Other feedback, SQL that does not parse, or a
// direction without ORDER BY end the job "failed" with the reason. Like
// chat2data, the call opens a session and returns its id.
//
// suggestQuestions (§10.2) returns Options.Suggestions: by default
// answerbook.BuiltinSuggestions, questions that the built-in book answers.
//
// v2 chat2data (§11.3) answers a task tree of one task; v2 opens no session.
// v1 chat2data (§12, at /v1/chat2data and /chat2data) answers synchronously
// in the gateway envelope without waiting for the latency, which it reports
// as ai_latency; rows are objects of strings, at most 50 (the documented
// default Max Rows); data_type is inferred from the values (BIGINT, DOUBLE,
// DECIMAL, DATE, DATETIME, VARCHAR). An SQL error is HTTP 200 with the MySQL
// error number as code; a bad body or an instruction the book cannot answer
// is 400 "param check failed! ...".
//
// auto_breakdown answers a "breakdown" root whose one sub-task "0-0" is the
// data_retrieval answer.
//
// # Running for days
//
// The emulator's memory stays bounded however long it serves; every
// duration below is measured on Options.Now.
//
// Digest nonces are accepted for 5 minutes after they are issued. A request
// with an older nonce and otherwise valid credentials gets a 401 whose fresh
// challenge says stale=true; curl and c2q's client (icholy/digest) retry
// with the new nonce without asking for the keys again. Each nonce count
// (nc) is accepted once per nonce: a replayed Authorization header gets a
// 401 with a fresh challenge. Counts may arrive out of order within 64 of
// the highest seen, because a client numbers its requests in order but may
// send them concurrently; an nc further behind is answered as stale. The
// counts of at most 4,096 nonces are remembered, each for 5 minutes after
// the nonce's first use; a nonce whose counts were forgotten while it was
// still valid is answered as stale, so no count can be replayed. Nonces
// themselves are verified by an HMAC and cost no memory until used with
// valid credentials.
//
// Sessions and jobs expire 24 hours after their last use, and at most
// 10,000 of each are kept: beyond that the least recently used goes first.
// A session is used when it is created or when a request names it (GET,
// PUT, reset, chat2data; GET /v3/sessions, the list, uses none); a job when
// it is created, polled, or read through its session. An expired or evicted
// id is answered exactly as an id never handed out: HTTP 404 in the v3
// envelope, {"code":404,"msg":"session not found","result":{}} or
// {"code":404,"msg":"job not found","result":{}}. A session's turns whose
// jobs are gone keep their questions but have no status or answer. A data
// summary keeps its own analysis job, so its status survives its job's
// expiry. Expiry is done by the requests themselves, oldest first, in
// constant time per request; no goroutine or timer runs.
//
// A panic while serving a request (a bug, or a panic in the Answerer,
// Distribution or Querier given in Options) never crashes the server nor
// leaves it locked: it is logged with its stack to Options.Log (the
// standard logger when Log is nil) and answered HTTP 500 in the v3 envelope,
// {"code":500,"msg":"internal error! ...","result":{}}, or, if the response
// had begun, by dropping the connection. A job whose result panicked
// answers that 500 to every later poll.
package emulator
