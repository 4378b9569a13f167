package aws

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/stance-cspm/stance/internal/emulator"
	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func TestSNSTopicDemoData(t *testing.T) {
	c := demoDataClients(t, "us-east-1")
	rows := storedRowsBy(t, "aws_sns_topic", "arn", collect(t, "aws_sns_topic", c))
	if len(rows) != 2 {
		t.Fatalf("got %d topics, want 2 (sns-list-topics.json)", len(rows))
	}

	private, ok := rows["arn:aws:sns:us-east-1:123456789012:demo_private"]
	if !ok {
		t.Fatalf("topic demo_private missing; got %v", sortedRowKeys(rows))
	}
	expectColumns(t, "demo_private", private, map[string]any{
		"name":                    "demo_private",
		"display_name":            "",
		"owner":                   "123456789012",
		"kms_master_key_id":       nil,
		"delivery_policy":         nil,
		"subscriptions_confirmed": int64(1),
		"subscriptions_pending":   int64(0),
		"subscriptions_deleted":   int64(0),
		// The demo data has no sns-list-tags-for-resource folder.
		"tags": nil,
	})
	var policy struct {
		Statement []struct {
			Principal struct{ AWS string }
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(private["policy"].(string)), &policy); err != nil {
		t.Fatalf("demo_private policy: %v", err)
	}
	if len(policy.Statement) != 1 {
		t.Fatalf("demo_private policy: got %d statements, want 1", len(policy.Statement))
	}
	if got := policy.Statement[0].Condition["StringEquals"]["AWS:SourceOwner"]; got != "123456789012" {
		t.Errorf("demo_private policy: got AWS:SourceOwner %q, want 123456789012", got)
	}
	if private["effective_delivery_policy"] == nil {
		t.Error("demo_private: got effective_delivery_policy NULL, want the document")
	}

	public := rows["arn:aws:sns:us-east-1:123456789012:demo_public"]
	if public == nil {
		t.Fatalf("topic demo_public missing; got %v", sortedRowKeys(rows))
	}
	expectColumns(t, "demo_public", public, map[string]any{
		"name":  "demo_public",
		"owner": "123456789012",
		"policy": json.RawMessage(`{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},` +
			`"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish","SNS:Receive"],` +
			`"Resource":"arn:aws:sns:us-east-1:123456789012:demo_public"}]}`),
	})
}

func TestSNSTopicFixture(t *testing.T) {
	c := testdataClients(t, "aws_sns_topic", "us-east-1")
	rows := storedRowsBy(t, "aws_sns_topic", "arn", collect(t, "aws_sns_topic", c))

	// "gone" was deleted between ListTopics and GetTopicAttributes (NotFound).
	if len(rows) != 3 {
		t.Fatalf("got %d topics %v, want 3", len(rows), sortedRowKeys(rows))
	}
	if _, ok := rows["arn:aws:sns:us-east-1:111122223333:gone"]; ok {
		t.Error("got a row for the deleted topic gone, want none")
	}

	tests := []struct {
		arn  string
		want map[string]any
	}{
		{
			arn: "arn:aws:sns:us-east-1:111122223333:alerts",
			want: map[string]any{
				"name":                      "alerts",
				"display_name":              "Security alerts",
				"kms_master_key_id":         "alias/aws/sns",
				"owner":                     "111122223333",
				"subscriptions_confirmed":   int64(2),
				"subscriptions_pending":     int64(1),
				"subscriptions_deleted":     int64(0),
				"delivery_policy":           json.RawMessage(`{"http":{"defaultHealthyRetryPolicy":{"numRetries":5}}}`),
				"effective_delivery_policy": json.RawMessage(`{"http":{"defaultHealthyRetryPolicy":{"numRetries":5}}}`),
				"policy":                    json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"SNS:Publish","Resource":"arn:aws:sns:us-east-1:111122223333:alerts"}]}`),
			},
		},
		{
			// ListTagsForResource is denied: tags unknown, attributes read.
			arn: "arn:aws:sns:us-east-1:111122223333:audit",
			want: map[string]any{
				"name":                    "audit",
				"display_name":            "",
				"kms_master_key_id":       nil,
				"delivery_policy":         nil,
				"subscriptions_confirmed": int64(0),
				"subscriptions_deleted":   nil,
				"tags":                    nil,
			},
		},
		{
			// Neither attributes nor tags were collected: only the name.
			arn: "arn:aws:sns:us-east-1:111122223333:orders.fifo",
			want: map[string]any{
				"name":                    "orders.fifo",
				"display_name":            nil,
				"owner":                   nil,
				"policy":                  nil,
				"subscriptions_confirmed": nil,
				"tags":                    nil,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.arn, func(t *testing.T) {
			row, ok := rows[tt.arn]
			if !ok {
				t.Fatalf("no row for %s", tt.arn)
			}
			expectColumns(t, tt.arn, row, tt.want)
		})
	}

	alerts := rows["arn:aws:sns:us-east-1:111122223333:alerts"]
	tags, err := tables.Convert(store.TypeTags, map[string]string{"team": "security", "env": ""})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(alerts["tags"], tags) {
		t.Errorf("alerts: got tags %v, want %v", alerts["tags"], tags)
	}
}

func TestSNSTopicAttributesInvalid(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]string
	}{
		{name: "count not a number", attrs: map[string]string{"SubscriptionsConfirmed": "many"}},
		{name: "policy not JSON", attrs: map[string]string{"Policy": "{not json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := setSNSTopicAttributes(tables.Record{}, tt.attrs); err == nil {
				t.Errorf("got no error for %v, want one", tt.attrs)
			}
		})
	}
}

func TestSNSTopicMoto(t *testing.T) {
	c := motoRegionClients(t, "ap-northeast-3")
	ctx := context.Background()

	const policy = `{"Version":"2012-10-17","Statement":[{"Sid":"cw","Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"SNS:Publish","Resource":"*"}]}`
	alerts, err := c.SNS.CreateTopic(ctx, &sns.CreateTopicInput{
		Name: aws.String("alerts"),
		Attributes: map[string]string{
			"DisplayName":    "Security alerts",
			"KmsMasterKeyId": "alias/aws/sns",
			"Policy":         policy,
			"DeliveryPolicy": `{"http":{"defaultHealthyRetryPolicy":{"numRetries":7}}}`,
		},
		Tags: []snstypes.Tag{{Key: aws.String("team"), Value: aws.String("security")}},
	})
	if err != nil {
		t.Fatalf("CreateTopic alerts: %v", err)
	}

	// moto returns ListTopics pages of 100 topics, so 101 topics take two
	// pages.
	for i := 0; i < 100; i++ {
		if _, err := c.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(fmt.Sprintf("bulk-%03d", i))}); err != nil {
			t.Fatalf("CreateTopic bulk-%03d: %v", i, err)
		}
	}

	rows := storedRowsBy(t, "aws_sns_topic", "arn", collect(t, "aws_sns_topic", c))
	if len(rows) != 101 {
		t.Fatalf("got %d topics, want 101", len(rows))
	}
	row, ok := rows[aws.ToString(alerts.TopicArn)]
	if !ok {
		t.Fatalf("topic alerts missing")
	}
	expectColumns(t, "alerts", row, map[string]any{
		"name":              "alerts",
		"display_name":      "Security alerts",
		"kms_master_key_id": "alias/aws/sns",
		"owner":             emulator.DefaultAccountID,
		"policy":            json.RawMessage(policy),
		"delivery_policy":   json.RawMessage(`{"http":{"defaultHealthyRetryPolicy":{"numRetries":7}}}`),
		// NOTE: moto 5.2.1 does not count subscriptions and returns 0, so
		// non-zero counts are tested on fixtures only.
		"subscriptions_confirmed": int64(0),
		"subscriptions_pending":   int64(0),
	})
	wantTags, err := tables.Convert(store.TypeTags, map[string]string{"team": "security"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(row["tags"], wantTags) {
		t.Errorf("alerts: got tags %v, want %v", row["tags"], wantTags)
	}

	bulk := rows["arn:aws:sns:ap-northeast-3:"+emulator.DefaultAccountID+":bulk-099"]
	if bulk == nil {
		t.Fatal("topic bulk-099, on the second page, missing")
	}
	expectColumns(t, "bulk-099", bulk, map[string]any{
		"kms_master_key_id":       nil,
		"subscriptions_confirmed": int64(0),
	})
	if bulk["policy"] == nil {
		t.Error("bulk-099: got policy NULL, want the default policy")
	}
}
