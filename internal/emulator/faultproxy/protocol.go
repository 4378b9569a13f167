package faultproxy

import (
	"net/http"
	"strings"
)

// Protocol is the wire protocol of an AWS API. It decides how the proxy
// reads the operation of a call and how it writes an injected error.
type Protocol string

// Protocols of the AWS APIs that stance calls.
const (
	ProtocolJSON10    Protocol = "awsJson1_0"
	ProtocolJSON11    Protocol = "awsJson1_1"
	ProtocolQuery     Protocol = "awsQuery"
	ProtocolEC2Query  Protocol = "ec2Query"
	ProtocolRESTXML   Protocol = "restXml"           // S3: errors are <Error>
	ProtocolS3Control Protocol = "restXml-s3control" // S3 Control: errors are wrapped in <ErrorResponse>
	ProtocolRESTJSON  Protocol = "restJson1"
	ProtocolCBOR      Protocol = "rpcv2Cbor"
)

// ServiceS3Control is the service name the proxy gives S3 Control calls.
// They are signed with the name "s3", like S3 calls, so the proxy
// recognizes them by their path, which starts with /v20180820/.
const ServiceS3Control = "s3control"

// ServiceProtocols maps the SigV4 signing name of each AWS service in
// stance's go.mod to its protocol. The protocols are those of the
// aws-sdk-go-v2 service modules in go.mod. CloudWatch is listed as
// awsQuery, the protocol awsopts.CloudWatchQueryProtocol selects. A request
// that carries the Smithy-Protocol: rpc-v2-cbor header gets its error in
// CBOR, whatever its service.
var ServiceProtocols = map[string]Protocol{
	"access-analyzer":   ProtocolRESTJSON,
	"cloudtrail":        ProtocolJSON11,
	"config":            ProtocolJSON11,
	"ec2":               ProtocolEC2Query,
	"elasticfilesystem": ProtocolRESTJSON,
	"guardduty":         ProtocolRESTJSON,
	"iam":               ProtocolQuery,
	"kms":               ProtocolJSON11,
	"lambda":            ProtocolRESTJSON,
	"logs":              ProtocolJSON11,
	"monitoring":        ProtocolQuery,
	"organizations":     ProtocolJSON11,
	"rds":               ProtocolQuery,
	"s3":                ProtocolRESTXML,
	ServiceS3Control:    ProtocolS3Control,
	"securityhub":       ProtocolRESTJSON,
	"sns":               ProtocolQuery,
	"sts":               ProtocolQuery,
}

// serviceOf returns the service name of a call signed for signingName.
func serviceOf(signingName string, r *http.Request) string {
	if signingName == "s3" && strings.HasPrefix(r.URL.Path, "/v20180820/") {
		return ServiceS3Control
	}
	return signingName
}

// protocolOf returns the protocol of a request to service. Headers that
// only one protocol sends take precedence over the service table, and a
// service missing from the table is guessed from the Content-Type.
func protocolOf(service string, r *http.Request) Protocol {
	contentType := r.Header.Get("Content-Type")
	switch {
	case strings.EqualFold(r.Header.Get("Smithy-Protocol"), "rpc-v2-cbor"):
		return ProtocolCBOR
	case r.Header.Get("X-Amz-Target") != "" && strings.Contains(contentType, "json-1.0"):
		return ProtocolJSON10
	case r.Header.Get("X-Amz-Target") != "":
		return ProtocolJSON11
	}
	if p, ok := ServiceProtocols[service]; ok {
		return p
	}
	if strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		return ProtocolQuery
	}
	return ProtocolRESTJSON
}

// isForm reports whether calls of p carry their operation in a form body.
func (p Protocol) isForm() bool {
	return p == ProtocolQuery || p == ProtocolEC2Query
}

// isREST reports whether calls of p name their operation by method and path.
func (p Protocol) isREST() bool {
	return p == ProtocolRESTXML || p == ProtocolS3Control || p == ProtocolRESTJSON
}
