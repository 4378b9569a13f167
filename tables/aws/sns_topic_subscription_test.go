package aws

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/stance-cspm/stance/internal/emulator"
)

func TestSNSSubscriptionDemoDataNotCollected(t *testing.T) {
	// The demo data has topics but no sns-list-subscriptions.json: the
	// partition must fail as not collected, not succeed with no rows.
	c := demoDataClients(t, "us-east-1")
	recs, err := fetchRecordsOrError(t, "aws_sns_topic_subscription", c)
	if !IsNotCollected(err) {
		t.Fatalf("got error %v, want NotCollected", err)
	}
	if len(recs) != 0 {
		t.Errorf("got %d records, want 0", len(recs))
	}
}

func TestSNSSubscriptionFixture(t *testing.T) {
	c := testdataClients(t, "aws_sns_topic_subscription", "us-east-1")
	recs := collect(t, "aws_sns_topic_subscription", c)
	rows := storedRowsBy(t, "aws_sns_topic_subscription", "subscription_key", recs)
	if len(rows) != 4 {
		t.Fatalf("got %d subscriptions %v, want 4", len(rows), sortedRowKeys(rows))
	}

	const alerts = "arn:aws:sns:us-east-1:111122223333:alerts"
	tests := []struct {
		key  string
		want map[string]any
	}{
		{
			key: alerts + " email secops@example.com",
			want: map[string]any{
				"arn":                  "arn:aws:sns:us-east-1:111122223333:alerts:6b0e71bd-7e97-4d97-80ce-4a0994e55286",
				"subscription_arn":     "arn:aws:sns:us-east-1:111122223333:alerts:6b0e71bd-7e97-4d97-80ce-4a0994e55286",
				"pending_confirmation": false,
				"topic_arn":            alerts,
				"protocol":             "email",
				"endpoint":             "secops@example.com",
				"owner":                "111122223333",
			},
		},
		{
			// Two pending subscriptions share SubscriptionArn
			// "PendingConfirmation" and must still get distinct keys.
			key: alerts + " email oncall@example.com",
			want: map[string]any{
				"arn":                  nil,
				"subscription_arn":     "PendingConfirmation",
				"pending_confirmation": true,
				"endpoint":             "oncall@example.com",
			},
		},
		{
			key: alerts + " https https://hook:REDACTED@hooks.example.com/sns?team=sec",
			want: map[string]any{
				"arn":                  nil,
				"pending_confirmation": true,
				"protocol":             "https",
				"endpoint":             "https://hook:REDACTED@hooks.example.com/sns?team=sec",
			},
		},
		{
			key: "arn:aws:sns:us-east-1:111122223333:audit sqs arn:aws:sqs:us-east-1:111122223333:audit-queue",
			want: map[string]any{
				"arn":      "arn:aws:sns:us-east-1:111122223333:audit:0f3c1e7a-51a5-4b8e-9d1e-2f1f4c9d1b11",
				"protocol": "sqs",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			row, ok := rows[tt.key]
			if !ok {
				t.Fatalf("no row for key %q; got %v", tt.key, sortedRowKeys(rows))
			}
			expectColumns(t, tt.key, row, tt.want)
		})
	}

	// The password of the basic-authentication endpoint must not reach any
	// column, raw included.
	for _, rec := range recs {
		for col, v := range storedValues(t, "aws_sns_topic_subscription", rec) {
			text := fmt.Sprint(v)
			if strings.Contains(text, "s3cr3t-Pa55") {
				t.Errorf("column %s contains the endpoint password: %s", col, text)
			}
		}
	}
}

func TestRedactEndpointPassword(t *testing.T) {
	tests := []struct {
		endpoint string
		want     string
	}{
		{endpoint: "https://user:pw@example.com/path", want: "https://user:REDACTED@example.com/path"},
		{endpoint: "http://user:pw@example.com:8080/a?b=c", want: "http://user:REDACTED@example.com:8080/a?b=c"},
		{endpoint: "https://user@example.com/path", want: "https://user@example.com/path"},
		{endpoint: "https://example.com/p@th", want: "https://example.com/p@th"},
		{endpoint: "secops@example.com", want: "secops@example.com"},
		{endpoint: "arn:aws:sqs:us-east-1:111122223333:queue", want: "arn:aws:sqs:us-east-1:111122223333:queue"},
		// A URL that net/url rejects (space in the host) still loses its
		// user information.
		{endpoint: "https://user:p w@bad host/x", want: "https://REDACTED@bad host/x"},
		{endpoint: "https://bad host/x@y", want: "https://bad host/x@y"},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint, func(t *testing.T) {
			if got := redactEndpointPassword(tt.endpoint); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSNSSubscriptionMoto(t *testing.T) {
	c := motoRegionClients(t, "eu-north-1")
	ctx := context.Background()

	topic, err := c.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("alerts")})
	if err != nil {
		t.Fatalf("CreateTopic: %v", err)
	}
	subscribe := func(protocol, endpoint string) string {
		t.Helper()
		out, err := c.SNS.Subscribe(ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String(protocol), Endpoint: aws.String(endpoint)})
		if err != nil {
			t.Fatalf("Subscribe %s %s: %v", protocol, endpoint, err)
		}
		return aws.ToString(out.SubscriptionArn)
	}
	// moto sends nothing on Subscribe, so the HTTPS host is never
	// contacted. moto returns ListSubscriptions pages of 100, so 101
	// subscriptions take two pages.
	hookARN := subscribe("https", "https://hook:s3cr3t-Pa55@hooks.example.com/sns")
	for i := 0; i < 100; i++ {
		subscribe("email", fmt.Sprintf("user%03d@example.com", i))
	}

	recs := collect(t, "aws_sns_topic_subscription", c)
	rows := storedRowsBy(t, "aws_sns_topic_subscription", "subscription_key", recs)
	if len(rows) != 101 {
		t.Fatalf("got %d subscriptions, want 101", len(rows))
	}

	topicARN := aws.ToString(topic.TopicArn)
	hookKey := topicARN + " https https://hook:REDACTED@hooks.example.com/sns"
	hook, ok := rows[hookKey]
	if !ok {
		t.Fatalf("no row for key %q", hookKey)
	}
	expectColumns(t, "https subscription", hook, map[string]any{
		"arn":                  hookARN,
		"subscription_arn":     hookARN,
		"pending_confirmation": false,
		"topic_arn":            topicARN,
		"protocol":             "https",
		"endpoint":             "https://hook:REDACTED@hooks.example.com/sns",
		"owner":                emulator.DefaultAccountID,
	})
	if _, ok := rows[topicARN+" email user099@example.com"]; !ok {
		t.Error("subscription of user099@example.com, on the second page, missing")
	}
	for _, rec := range recs {
		for col, v := range storedValues(t, "aws_sns_topic_subscription", rec) {
			if strings.Contains(fmt.Sprint(v), "s3cr3t-Pa55") {
				t.Errorf("column %s contains the endpoint password", col)
			}
		}
	}
}
