-- One result per virtual machine. Trusted launch must be the security type
-- with secure boot and the virtual TPM both on. Confidential VMs pass as
-- well, because they include both.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE
        WHEN security_type = 'ConfidentialVM' THEN 'pass'
        WHEN security_type = 'TrustedLaunch' AND coalesce(secure_boot_enabled, false) AND coalesce(vtpm_enabled, false) THEN 'pass'
        ELSE 'fail'
    END AS status,
    'virtual machine ' || name || CASE
        WHEN security_type = 'ConfidentialVM' THEN ' is a confidential VM with secure boot and vTPM'
        WHEN security_type = 'TrustedLaunch' AND coalesce(secure_boot_enabled, false) AND coalesce(vtpm_enabled, false) THEN ' uses trusted launch with secure boot and vTPM'
        WHEN security_type = 'TrustedLaunch' THEN ' uses trusted launch but has secure boot ' || CASE WHEN coalesce(secure_boot_enabled, false) THEN 'on' ELSE 'off' END
            || ' and vTPM ' || CASE WHEN coalesce(vtpm_enabled, false) THEN 'on' ELSE 'off' END
        ELSE ' is a standard virtual machine without trusted launch'
    END AS reason
FROM azure_compute_virtual_machine
