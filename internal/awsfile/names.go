package awsfile

import (
	"net/url"
	"reflect"
	"regexp"
	"strings"
)

// The three patterns below reproduce botocore's xform_name, which the AWS CLI
// uses to turn an operation name into a command name (botocore 1.43).
var (
	// pluralAcronym matches a pluralised acronym at the end, such as "ACLs".
	pluralAcronym = regexp.MustCompile(`[A-Z]{2,}s$`)
	// wordStart matches a capitalised word and the character before it.
	wordStart = regexp.MustCompile(`(.)([A-Z][a-z]+)`)
	// capAfterLower matches a capital after a lowercase letter or digit.
	capAfterLower = regexp.MustCompile(`([a-z0-9])([A-Z])`)
)

// cliNameExceptions are operations whose CLI name botocore takes from a
// fixed table instead of the patterns, limited to the services in the
// services table (CloudWatch).
var cliNameExceptions = map[string]string{
	"GetOTelEnrichment":   "get-otel-enrichment",
	"StartOTelEnrichment": "start-otel-enrichment",
	"StopOTelEnrichment":  "stop-otel-enrichment",
}

// kebabName converts an API operation name to its AWS CLI command name:
// DescribeDBInstances becomes describe-db-instances and ListMFADevices
// becomes list-mfa-devices.
func kebabName(op string) string {
	if strings.Contains(op, "-") {
		return op
	}
	if name, ok := cliNameExceptions[op]; ok {
		return name
	}
	if m := pluralAcronym.FindString(op); m != "" {
		op = op[:len(op)-len(m)] + "-" + strings.ToLower(m)
	}
	op = wordStart.ReplaceAllString(op, "${1}-${2}")
	op = capAfterLower.ReplaceAllString(op, "${1}-${2}")
	return strings.ToLower(op)
}

// paginationFields are input fields that select a page, not a resource.
// ExpectedBucketOwner is a guard that careful S3 callers set on every call.
var paginationFields = map[string]bool{
	"Marker":              true,
	"NextToken":           true,
	"MaxItems":            true,
	"MaxResults":          true,
	"MaxRecords":          true,
	"ContinuationToken":   true,
	"StartingToken":       true,
	"PaginationToken":     true,
	"ExpectedBucketOwner": true,
}

// resourceFieldOverrides names, per "<cli service>:<Operation>", the input
// fields that name the response file, in folder order. Fields not listed are
// ignored for those operations. It is needed where an input has several
// string fields: CloudMapper names the file after the resource only, so a
// constant second argument such as KMS's PolicyName "default" is left out.
var resourceFieldOverrides = map[string][]string{
	"kms:GetKeyPolicy":            {"KeyId"},
	"kms:ListGrants":              {"KeyId"},
	"iam:GetRolePolicy":           {"RoleName", "PolicyName"},
	"iam:GetUserPolicy":           {"UserName", "PolicyName"},
	"iam:GetGroupPolicy":          {"GroupName", "PolicyName"},
	"iam:GetPolicyVersion":        {"PolicyArn", "VersionId"},
	"lambda:GetPolicy":            {"FunctionName", "Qualifier"},
	"lambda:GetFunctionUrlConfig": {"FunctionName", "Qualifier"},
}

// resourceValues returns the values of the input fields that name a
// per-resource response file, in folder order. It returns nil for a call
// without a resource parameter, which reads a flat <service>-<operation>.json
// file. Only fields of Go type *string or string count: enum-typed fields
// such as ec2's Attribute, lists such as Filters, numbers and booleans are
// options, not resource names.
func resourceValues(cliService, op string, input any) []string {
	v := reflect.ValueOf(input)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}

	if names, ok := resourceFieldOverrides[cliService+":"+op]; ok {
		var values []string
		for _, name := range names {
			if s, ok := stringField(v.FieldByName(name)); ok {
				values = append(values, s)
			}
		}
		return values
	}

	var values []string
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || paginationFields[f.Name] {
			continue
		}
		if s, ok := stringField(v.Field(i)); ok {
			values = append(values, s)
		}
	}
	return values
}

// stringField returns the value of a non-empty field of Go type *string or
// string.
func stringField(f reflect.Value) (string, bool) {
	if !f.IsValid() {
		return "", false
	}
	stringType := reflect.TypeOf("")
	switch {
	case f.Type() == stringType:
		return f.String(), f.String() != ""
	case f.Kind() == reflect.Pointer && f.Type().Elem() == stringType:
		if f.IsNil() || f.Elem().String() == "" {
			return "", false
		}
		return f.Elem().String(), true
	}
	return "", false
}

// escapeSegment escapes a resource value into one file name the way
// CloudMapper does with Python's urllib.parse.quote_plus: every byte except
// letters, digits and "_.-~" is percent-encoded, so "/" never splits a path.
func escapeSegment(value string) string {
	return url.QueryEscape(value)
}
