package runner

import "testing"

func TestStatusMerge(t *testing.T) {
	tests := []struct{ a, b, want Status }{
		{Pending, Pass, Pass},
		{Pass, Skip, Pass},
		{Skip, Pending, Skip},
		{Pass, Fail, Fail},
		{Fail, Pass, Fail},
		{Fail, Error, Error},
		{Error, Pass, Error},
	}
	for _, tt := range tests {
		if got := tt.a.Merge(tt.b); got != tt.want {
			t.Errorf("%v.Merge(%v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
