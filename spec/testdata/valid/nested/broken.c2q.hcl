session "ignored" {
