package errtext

import "testing"

func TestShort(t *testing.T) {
	tests := []struct{ in, want string }{
		{"describe instances: operation error EC2: DescribeInstances, api error AccessDenied: not allowed", "describe instances: not allowed"},
		{"list: operation error EC2: DescribeSecurityGroups, exceeded maximum number of attempts, 5, https response error StatusCode: 400, RequestID: r-1, api error RequestLimitExceeded: Request limit exceeded.", "list: Request limit exceeded."},
		{"plain message", "plain message"},
	}
	for _, tt := range tests {
		if got := Short(tt.in); got != tt.want {
			t.Errorf("Short(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
