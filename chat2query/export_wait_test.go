package chat2query

import (
	"context"
	"time"
)

// SetClockForTest replaces c's clock and sleeper, for the tests and
// benchmarks of the external test package (BenchmarkWaitJobSimulated).
func SetClockForTest(c *Client, now func() time.Time, sleep func(context.Context, time.Duration) error) {
	c.now, c.sleep = now, sleep
}
