package emulator

import "sync"

// DefaultAccountID is the account moto 5.2.1 serves for access keys it has
// not issued, and the account the other stand-ins assume for unknown keys.
const DefaultAccountID = "123456789012"

// AccountMap maps access key ids to account ids, as AWS does to find the
// account of a signed request. It is safe for concurrent use.
type AccountMap struct {
	mu             sync.RWMutex
	defaultAccount string
	accounts       map[string]string
}

// NewAccountMap returns an empty map whose Lookup returns defaultAccount for
// unknown keys.
func NewAccountMap(defaultAccount string) *AccountMap {
	return &AccountMap{defaultAccount: defaultAccount, accounts: make(map[string]string)}
}

// Set records that accessKeyID belongs to accountID.
func (m *AccountMap) Set(accessKeyID, accountID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.accounts[accessKeyID] = accountID
}

// Lookup returns the account of accessKeyID, or the default account when the
// key was never set.
func (m *AccountMap) Lookup(accessKeyID string) string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if account, ok := m.accounts[accessKeyID]; ok {
		return account
	}
	return m.defaultAccount
}
