# Values worth keeping from the run, shown after it as Terraform shows outputs.

output "largest_company" {
  description = "The company with the largest market cap."
  value       = session.market_cap.question.top5.rows[0][0]
}

output "most_watched" {
  description = "The stock that most users have on their watchlist, and how many."
  value       = "${session.watchlists.question.popular.rows[0][1]} (${session.watchlists.question.popular.rows[0][2]} users)"
}
