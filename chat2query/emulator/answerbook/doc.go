// Package answerbook is how the emulator answers questions: an answer book maps question
// patterns, optionally in the context of the previous answer of a session, to the SQL that the
// emulator executes and to the rest of a Chat2Query answer.
//
// The package owns the answer-book language (Parse, with diagnostics that point into the file),
// the built-in book for the sp500insight sample database (Builtin) with its suggested questions,
// and matching a question to an entry (Book.Match). It must not execute SQL, serve HTTP, or
// know about sessions beyond the label of the previous answer: the emulator does those.
//
// # Format
//
// An answer book is an HCL file of answer blocks:
//
//	answer "top_market_cap" {
//	  match = [
//	    "(?i)\\b(five|5)\\b.*(largest|biggest).*market cap",
//	    "(?i)top (five|5) .*market cap",
//	  ]
//	  sql = <<-SQL
//	    SELECT `company_name`, `market_cap` FROM `companies` ORDER BY `market_cap` DESC LIMIT 5;
//	  SQL
//	  clarified_task = "Find the five companies with the largest market capitalization."
//	  description    = ""
//	  assumptions    = [{ concept = "market cap", explanation = "The market_cap column of companies." }]
//
//	  chart {
//	    name = "BarChart"
//	    x    = "company_name"
//	    y    = "market_cap"
//	  }
//	}
//
//	answer "top_market_cap_sectors" {
//	  after          = ["top_market_cap"]
//	  match          = ["(?i)which sectors? (are|do) (they|those|these)"]
//	  sql            = "SELECT `company_name`, `sector` FROM `companies` ORDER BY `market_cap` DESC LIMIT 5;"
//	  clarified_task = "Find the sectors of the five companies with the largest market capitalization."
//	}
//
// The label of an answer (an identifier: letters, digits, underscores, dashes) is unique in the
// book; the emulator remembers it as the previous answer of the session. Attributes:
//
//   - match (required): a non-empty list of regular expressions (Go RE2 syntax) over the
//     question, any of which may match. The question is trimmed and its runs of white space
//     collapsed to single spaces first; matching is case-sensitive unless a pattern says (?i).
//   - after (optional): labels of answers in the same book. The entry is a follow-up: it only
//     applies when the previous answer of the session has one of these labels.
//   - sql (required): the statement the emulator executes against the sample database and
//     returns as the answer's sql.
//   - clarified_task (required): the restatement of the question returned as clarified_task.
//   - description (optional): returned as description, "" by default.
//   - assumptions (optional): a list of { concept = "...", explanation = "..." } objects.
//   - chart (optional block): name is Table, BarChart, LineChart or PieChart; title defaults to
//     clarified_task; the other attributes are the chart's options, each a column name or, where
//     the service allows several, a list of them: columns (Table, optional: all columns); x, y
//     and pivot_column (BarChart and LineChart; x and y required); label and value (PieChart,
//     both required). Without a chart block the answer is a Table of all its columns.
//
// Values are constants: no variables or functions. Parse reports every problem as a diagnostic
// with a source range: syntax errors, unknown attributes, wrong types, duplicate labels, invalid
// regular expressions, unknown labels in after, empty sql or clarified_task, bad charts.
//
// # Matching
//
// Book.Match(question, previous) picks the answer to question when the previous answer of the
// session had the label previous ("" for the first question of a session):
//
//  1. An entry is a candidate when one of its match patterns matches the question and it has no
//     after, or previous is listed in its after. An entry with after never matches when the
//     previous answer is not listed (in particular on the first question of a session).
//  2. A follow-up candidate (one whose after lists previous) beats a candidate without after.
//  3. Among equals, the first in file order wins.
//
// Book.Candidates lists all candidates in that order; a book is unambiguous for a question when
// only one candidate is of the winning kind. The tests of the built-in book (Builtin, for the
// sp500insight sample database) hold example questions for every entry and check exactly that.
package answerbook
