# References to answers: earlier questions of the same session, self, and
# what is not allowed where.

session "market_cap" {
  cluster_id = "1"
  database   = "db"
  name       = question.top5.job_id # ERROR: Answer not available here | A session argument is evaluated before any question is asked

  question "top5" {
    ask     = "Top ${self.row_count}?" # ERROR: Invalid "self" reference | The ask is sent before there is an answer
    timeout = question.sectors.sql # ERROR: Answer not available here

    assert {
      condition     = question.top5.row_count == 5 # ERROR: Invalid self-reference | its own answer is self
      error_message = "five"
    }
  }

  question "sectors" {
    ask = "Which sectors are ${question.top5.rowz[0][0]} in?" # ERROR: Unsupported attribute | Did you mean "rows"?

    expect {
      sql = question.sectors.sql # ERROR: Invalid self-reference
    }

    assert {
      condition     = length(self.colums) == 2 # ERROR: Unsupported attribute | Did you mean "columns"?
      error_message = "two columns, not ${length(self.columns)}"
    }

    assert {
      condition     = question.top6.row_count > 0 # ERROR: Reference to undeclared question | Did you mean "top5"?
      error_message = "x"
    }

    assert {
      condition     = question.count.row_count > 0 # ERROR: Reference to undeclared question | Session "energy" has a question "count"
      error_message = "x"
    }

    assert {
      condition     = session.market_cap.question.top5.row_count > 0 # ERROR: Invalid reference to a session | Did you mean question.top5?
      error_message = "x"
    }

    assert {
      condition     = length(question) > 0 # ERROR: Invalid reference | The "question" object cannot be accessed directly
      error_message = "x"
    }

    assert {
      condition     = each.key == "x" # ERROR: Reference to "each" in context without for_each | This session has no for_each argument.
      error_message = "x"
    }

    assert {
      condition     = self.row_count # ERROR: Incorrect attribute value type
      error_message = "x"
    }

    assert {
      condition     = self.sql != ""
      error_message = self.columns # ERROR: Incorrect attribute value type | string required
    }

    assert { # ERROR: Missing required argument | "error_message" is required
      condition = true
    }
  }
}

session "energy" {
  cluster_id = "1"
  database   = "db"

  question "count" {
    ask = "How many energy companies are there?"
  }

  question "which" {
    ask = "Which ones? ${question.count.rows[0][0]} of them." # fine: an earlier question
  }
}
