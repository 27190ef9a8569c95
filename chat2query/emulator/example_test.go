package emulator_test

import (
	"context"
	"fmt"
	"log"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator"
)

// ExampleStart starts an emulator with the built-in sample database and
// answer book, as a test does, and asks it a question with c2q's client.
func ExampleStart() {
	ctx := context.Background()
	emu, err := emulator.Start(ctx, "127.0.0.1:0", emulator.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer emu.Close()
	client, err := chat2query.New(emu.URL, emu.PublicKey, emu.PrivateKey)
	if err != nil {
		log.Fatal(err)
	}

	s, err := client.CreateSession(ctx, chat2query.CreateSessionRequest{ClusterID: emulator.DefaultClusterID, Database: "sp500insight"})
	if err != nil {
		log.Fatal(err)
	}
	ref, err := client.SessionChat2Data(ctx, s.SessionID, chat2query.SessionChat2DataRequest{Question: "Which five companies have the largest market cap?"})
	if err != nil {
		log.Fatal(err)
	}
	job, err := client.WaitJob(ctx, ref.JobID, emu.WaitOptions())
	if err != nil {
		log.Fatal(err)
	}
	answer, err := job.Answer()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(answer.SQL)
	fmt.Println(len(answer.Data.Rows), "rows")
	// Output:
	// SELECT `company_name`, `market_cap` FROM `companies` ORDER BY `market_cap` DESC LIMIT 5;
	// 5 rows
}
