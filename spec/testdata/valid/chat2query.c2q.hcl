chat2query {
  url     = "https://eu-central-1.data.tidbcloud.com/api/v1beta/app/chat2query-abc/endpoint"
  timeout = "90s"
}
