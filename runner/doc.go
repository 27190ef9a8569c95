// Package runner is c2q's engine: it compiles a loaded configuration into a
// Plan (NewPlan, Load), asks a plan's questions in order inside one
// Chat2Query session per session block (Apply), judges every answer against
// its expect and assert blocks, and merges the verdicts by status
// precedence (pending < skip < pass < fail < error). It also offers the SQL
// comparisons that c2q sql shows (CompareSQL, CompareResults).
//
// What it owns, and what it must not do: the runner never prints (it
// reports progress through an Observer, and runner/report renders), never
// chooses exit codes (main does), and never imports the emulator
// (chat2query/emulator): it talks to any Chat2Query service through a
// Client, and to a database through verify.Querier.
package runner
