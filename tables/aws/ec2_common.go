package aws

import "strings"

// ec2PageSize is the MaxResults that the EC2, VPC and EBS tables pass to
// their paginators. Zero leaves the page size to the API. Tests lower it to
// force several pages.
var ec2PageSize int32

// textOrNil returns s, or nil for an empty string, so that a field the API
// leaves empty (an enum that is not set, a public DNS name of "") becomes a
// NULL column instead of "".
func textOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// protocolName returns the name of an IP protocol that EC2 reports in a
// security group rule or network ACL entry. "-1" becomes "all", the
// numbers of tcp, udp, icmp and icmpv6 become their names, and any other
// value is returned lowercased.
func protocolName(protocol string) string {
	switch protocol {
	case "-1":
		return "all"
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	case "58":
		return "icmpv6"
	}
	return strings.ToLower(protocol)
}

// isEC2AccessDenied reports whether err is a denied permission. EC2 returns
// UnauthorizedOperation where most services return AccessDenied.
func isEC2AccessDenied(err error) bool {
	return IsErrorCode(err, "UnauthorizedOperation", "AccessDenied", "AccessDeniedException")
}

// ec2ARN builds the ARN of an EC2 resource whose API object carries none,
// such as "instance/i-0123" or "security-group/sg-0123". owner is the
// account that owns the resource. It differs from the synced account for a
// VPC or subnet shared with it, and an empty owner means the synced account.
func ec2ARN(c *Clients, owner, resource string) string {
	if owner == "" {
		owner = c.AccountID
	}
	return ARN(c.Partition, "ec2", c.Region, owner, resource)
}

// listOrEmpty returns s, or an empty slice when s is nil, so that a JSON
// column holds [] rather than null for "none". Checks such as "the default
// security group has no rules" then read json_array_length(col) = 0.
func listOrEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
