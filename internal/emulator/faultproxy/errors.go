package faultproxy

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"

	smithycbor "github.com/aws/smithy-go/encoding/cbor"
)

// apiError is an error response that the proxy writes in place of the
// backend's response.
type apiError struct {
	Status  int
	Code    string
	Message string
}

// defaultError returns the status and code that the proxy uses for fault
// kind in protocol p: for throttling "Throttling" in awsQuery,
// "RequestLimitExceeded" in EC2, "SlowDown" in S3 and "ThrottlingException"
// in the JSON protocols, all of them in the SDK's
// retry.DefaultThrottleErrorCodes, and for access denied "AccessDenied",
// "UnauthorizedOperation" in EC2 or "AccessDeniedException".
func defaultError(kind Fault, p Protocol) apiError {
	switch kind {
	case FaultThrottle:
		switch p {
		case ProtocolQuery:
			return apiError{Status: http.StatusBadRequest, Code: "Throttling", Message: "Rate exceeded"}
		case ProtocolEC2Query:
			// NOTE: the status EC2 sends with RequestLimitExceeded is not
			// checked against AWS. The SDK retries on the code either way.
			return apiError{Status: http.StatusBadRequest, Code: "RequestLimitExceeded", Message: "Request limit exceeded."}
		case ProtocolRESTXML, ProtocolS3Control:
			return apiError{Status: http.StatusServiceUnavailable, Code: "SlowDown", Message: "Please reduce your request rate."}
		case ProtocolRESTJSON:
			return apiError{Status: http.StatusTooManyRequests, Code: "ThrottlingException", Message: "Rate exceeded"}
		default:
			return apiError{Status: http.StatusBadRequest, Code: "ThrottlingException", Message: "Rate exceeded"}
		}
	case FaultServerError:
		switch p {
		case ProtocolEC2Query, ProtocolRESTXML, ProtocolS3Control:
			return apiError{Status: http.StatusInternalServerError, Code: "InternalError", Message: "An internal error has occurred."}
		default:
			return apiError{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: "An internal error has occurred."}
		}
	case FaultAccessDenied:
		switch p {
		case ProtocolQuery, ProtocolRESTXML, ProtocolS3Control:
			return apiError{Status: http.StatusForbidden, Code: "AccessDenied", Message: "Access Denied"}
		case ProtocolEC2Query:
			return apiError{Status: http.StatusForbidden, Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation."}
		case ProtocolRESTJSON:
			return apiError{Status: http.StatusForbidden, Code: "AccessDeniedException", Message: "Access Denied"}
		default:
			return apiError{Status: http.StatusBadRequest, Code: "AccessDeniedException", Message: "Access Denied"}
		}
	}
	return apiError{Status: http.StatusBadRequest, Code: "InvalidRequest", Message: "Injected error"}
}

// writeError writes e in the wire format of protocol p. requestID goes
// where AWS puts its request id, so SDK errors carry it.
func writeError(w http.ResponseWriter, p Protocol, e apiError, requestID string) {
	h := w.Header()
	h.Set("X-Amzn-RequestId", requestID)
	var body []byte

	switch p {
	case ProtocolJSON10, ProtocolJSON11, ProtocolRESTJSON:
		contentType := "application/x-amz-json-1.1"
		switch p {
		case ProtocolJSON10:
			contentType = "application/x-amz-json-1.0"
		case ProtocolRESTJSON:
			contentType = "application/json"
		}
		h.Set("Content-Type", contentType)
		h.Set("X-Amzn-ErrorType", e.Code)
		body, _ = json.Marshal(map[string]string{"__type": e.Code, "message": e.Message})

	case ProtocolCBOR:
		h.Set("Content-Type", "application/cbor")
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
		// Query-compatible services such as CloudWatch read the code here.
		h.Set("X-Amzn-Query-Error", e.Code+";"+faultType(e.Status))
		body = smithycbor.Encode(smithycbor.Map{
			"__type":  smithycbor.String(e.Code),
			"message": smithycbor.String(e.Message),
		})

	case ProtocolQuery:
		h.Set("Content-Type", "text/xml")
		body = xmlBody(queryError{
			Error:     xmlErrorDetail{Type: faultType(e.Status), Code: e.Code, Message: e.Message},
			RequestID: requestID,
		})

	case ProtocolEC2Query:
		h.Set("Content-Type", "text/xml")
		body = xmlBody(ec2Error{
			Errors:    []xmlErrorDetail{{Code: e.Code, Message: e.Message}},
			RequestID: requestID,
		})

	case ProtocolRESTXML:
		h.Set("Content-Type", "application/xml")
		h.Set("X-Amz-Request-Id", requestID)
		body = xmlBody(s3Error{Code: e.Code, Message: e.Message, RequestID: requestID})

	case ProtocolS3Control:
		h.Set("Content-Type", "application/xml")
		h.Set("X-Amz-Request-Id", requestID)
		body = xmlBody(s3ControlError{
			Error:     xmlErrorDetail{Code: e.Code, Message: e.Message},
			RequestID: requestID,
		})

	default:
		panic(fmt.Sprintf("faultproxy: no error format for protocol %q", p))
	}

	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

// faultType returns the awsQuery error type: Receiver for 5xx, else Sender.
func faultType(status int) string {
	if status >= 500 {
		return "Receiver"
	}
	return "Sender"
}

type xmlErrorDetail struct {
	Type    string `xml:"Type,omitempty"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// queryError is <ErrorResponse><Error>…</Error><RequestId/></ErrorResponse>.
type queryError struct {
	XMLName   xml.Name       `xml:"ErrorResponse"`
	Error     xmlErrorDetail `xml:"Error"`
	RequestID string         `xml:"RequestId"`
}

// ec2Error is <Response><Errors><Error>…</Error></Errors><RequestID/></Response>.
type ec2Error struct {
	XMLName   xml.Name         `xml:"Response"`
	Errors    []xmlErrorDetail `xml:"Errors>Error"`
	RequestID string           `xml:"RequestID"`
}

// s3Error is <Error><Code/><Message/><RequestId/></Error>.
type s3Error struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestID string   `xml:"RequestId"`
}

// s3ControlError is <ErrorResponse><Error>…</Error><RequestId/></ErrorResponse>
// without the Type element.
type s3ControlError struct {
	XMLName   xml.Name       `xml:"ErrorResponse"`
	Error     xmlErrorDetail `xml:"Error"`
	RequestID string         `xml:"RequestId"`
}

func xmlBody(v any) []byte {
	out, err := xml.Marshal(v)
	if err != nil {
		// Every value passed here is one of the structs above, which always
		// marshal.
		panic(fmt.Sprintf("faultproxy: marshal error body: %v", err))
	}
	return append([]byte(xml.Header), out...)
}
