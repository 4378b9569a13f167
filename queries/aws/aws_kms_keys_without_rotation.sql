-- title: Customer-managed keys without automatic rotation
-- description: Enabled symmetric customer-managed KMS keys whose key material is never rotated.
SELECT account_id, region, key_id, aliases, rotation_enabled
FROM aws_kms_key
WHERE key_manager = 'CUSTOMER' AND key_state = 'Enabled' AND key_spec = 'SYMMETRIC_DEFAULT'
  AND rotation_enabled IS NOT TRUE
ORDER BY account_id, region, key_id
