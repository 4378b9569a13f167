package awsopts

import (
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
)

// CloudWatchQueryProtocol makes a CloudWatch client speak awsQuery (form
// requests, XML responses) instead of Smithy RPC v2 CBOR, which the
// cloudwatch module uses by default since v1.53.0 and which moto 5.2.1 and
// other emulators do not parse. CloudWatch's service model carries the
// awsQueryCompatible trait and SDK releases before v1.53.0 sent awsQuery,
// so AWS serves both protocols.
func CloudWatchQueryProtocol(o *cloudwatch.Options) {
	o.Protocol = awsquery.New(schemas.GraniteServiceVersion20100801)
}
