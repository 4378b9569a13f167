-- One result per virtual machine. unmanaged_disk_count counts the OS and
-- data disks stored as VHD blobs in a storage account.
SELECT
    id AS resource,
    account_id,
    region,
    name,
    resource_group,
    CASE WHEN coalesce(unmanaged_disk_count, 0) = 0 AND os_disk_id IS NOT NULL THEN 'pass' ELSE 'fail' END AS status,
    'virtual machine ' || name || CASE
        WHEN coalesce(unmanaged_disk_count, 0) = 0 AND os_disk_id IS NOT NULL THEN ' uses managed disks only'
        WHEN coalesce(unmanaged_disk_count, 0) > 0 THEN ' stores ' || unmanaged_disk_count || ' disks as VHD blobs in a storage account'
        ELSE ' reports no managed OS disk, so its OS disk is a VHD blob'
    END AS reason
FROM azure_compute_virtual_machine
