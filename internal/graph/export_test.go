package graph

import "strings"

// ConnectorReadWaiters is how many cached reads of the connector are waiting now, for a shared request or for a
// write's answer: tests wait for it to reach a count instead of sleeping.
func (c *Client) ConnectorReadWaiters(id string) int { return c.connectorReads.waiters(id) }

func (rc *readCache[T]) waiters(key string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	n := 0
	for name, f := range rc.flights {
		if strings.HasPrefix(name, key+"\x00") {
			n += f.waiters
		}
	}
	return n
}

// QueuedCAWrites is how many joined CA writes of the PKI wait for a batch (for tests that line writes up).
func (c *Client) QueuedCAWrites(pkiID string) int {
	c.caJoins.mu.Lock()
	defer c.caJoins.mu.Unlock()
	if q := c.caJoins.queues[strings.ToLower(pkiID)]; q != nil {
		return len(q.ops)
	}
	return 0
}

// CAJoinWindow is the collection window of joined CA writes.
const CAJoinWindow = caJoinWindow

// RoundTarget is roundTarget, for its unit test.
var RoundTarget = roundTarget

// JoinedDrains is how many PKIs have a drain of joined CA writes running.
func (c *Client) JoinedDrains() int {
	c.caJoins.mu.Lock()
	defer c.caJoins.mu.Unlock()
	return len(c.caJoins.queues)
}

// CAJoinMaxWait bounds how long a round of joined CA writes stays open.
const CAJoinMaxWait = caJoinMaxWait

// CAJoinGap is how long a round of two joined CA writes or more waits for the next one.
const CAJoinGap = caJoinGap
