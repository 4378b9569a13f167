// Package errtext shortens error messages for people: the AWS SDK puts
// the operation, HTTP status and request id before the service's own
// message, which reports already show beside it.
package errtext

import "regexp"

var sdkPrefix = regexp.MustCompile(`operation error [^:]+: \w+, (exceeded maximum number of attempts, \d+, )?(https response error StatusCode: \d+, RequestID: [^,]*, )?(api error \w+: )?`)

// Short returns msg without the AWS SDK's operation prefix.
func Short(msg string) string {
	return sdkPrefix.ReplaceAllString(msg, "")
}
