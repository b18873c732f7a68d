package graphemu

import (
	"net/http"
	"strings"
	"time"
)

// Deleted items (soft delete). PKIs and CAs are directory objects: Graph's resource pages for
// certificateBasedAuthPki and certificateAuthorityDetail both list "List deleted items", "Get deleted item",
// "Restore deleted item" and "Permanently delete item" (/directory/deletedItems), restorable for 30 days.
//
// Choices where the docs are silent (each repeated where it is implemented):
//   - A deleted PKI takes its CAs (and their settings) with it; they are not listed as deleted CAs of their own, and
//     come back with the PKI. A CA deleted on its own is a deleted item of its own and comes back into its PKI.
//   - Restoring a CA whose PKI is gone (deleted or purged) answers 400; restoring a CA whose thumbprint the PKI
//     holds again answers 400 "Duplicate Certificate exists".
//   - A deleted CA does not count as a duplicate for a new upload or create (graph-api.md §3a: not documented).
//   - Items older than DeletedItemRetention on the emulator's clock are gone (GET and restore answer 404).

// DeletedItemRetention is how long Graph keeps a deleted directory object restorable.
const DeletedItemRetention = 30 * 24 * time.Hour

const (
	castPKI = "microsoft.graph.certificatebasedauthpki"
	castCA  = "microsoft.graph.certificateauthoritydetail"
)

// deletedItem is a soft-deleted PKI (with its CAs) or a CA deleted on its own (pkiID names its PKI).
type deletedItem struct {
	pki       *pki
	ca        *ca
	pkiID     string
	deletedAt time.Time
}

func (d *deletedItem) id() string {
	if d.pki != nil {
		return d.pki.id
	}
	return d.ca.id
}

func (d *deletedItem) displayName() string {
	if d.pki != nil {
		return d.pki.displayName
	}
	return d.ca.displayName
}

// recycleBin holds the deleted items of one emulator. Callers hold e.mu.
type recycleBin struct {
	items map[string]*deletedItem
	order []string
	// hardDelete makes deletes permanent (SetSoftDelete(false)).
	hardDelete bool
}

func (e *Emulator) bin() *recycleBin {
	if e.deleted == nil {
		e.deleted = &recycleBin{items: map[string]*deletedItem{}}
	}
	return e.deleted
}

// expire drops the items past the retention. Callers hold e.mu.
func (b *recycleBin) expire(now time.Time) {
	kept := b.order[:0]
	for _, id := range b.order {
		if d := b.items[id]; d != nil && now.Before(d.deletedAt.Add(DeletedItemRetention)) {
			kept = append(kept, id)
			continue
		}
		delete(b.items, id)
	}
	b.order = kept
}

func (b *recycleBin) put(d *deletedItem) {
	if b.hardDelete {
		return
	}
	id := normID(d.id())
	if b.items[id] == nil {
		b.order = append(b.order, id)
	}
	b.items[id] = d
}

func (b *recycleBin) take(id string) {
	id = normID(id)
	delete(b.items, id)
	b.order = removeID(b.order, id)
}

// softDeletePKI moves the PKI, with its CAs, to the deleted items. Callers hold e.mu.
func (e *Emulator) softDeletePKI(p *pki, now time.Time) {
	e.bin().put(&deletedItem{pki: p, deletedAt: now})
}

// softDeleteCA moves a CA deleted on its own to the deleted items. Callers hold e.mu.
func (e *Emulator) softDeleteCA(pkiID string, a *ca, now time.Time) {
	e.bin().put(&deletedItem{ca: a, pkiID: normID(pkiID), deletedAt: now})
}

// SetSoftDelete turns soft delete off (false: deletes are permanent, nothing is restorable) or back on.
func (e *Emulator) SetSoftDelete(on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.bin().hardDelete = !on
}

// PurgeDeletedItems permanently deletes every deleted item, as if 30 days had passed for all of them.
func (e *Emulator) PurgeDeletedItems() {
	e.mu.Lock()
	defer e.mu.Unlock()
	b := e.bin()
	b.items, b.order = map[string]*deletedItem{}, nil
}

// DeletedItemCount is how many restorable items the emulator holds now.
func (e *Emulator) DeletedItemCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	b := e.bin()
	b.expire(e.clk.Now())
	return len(b.order)
}

// ---- JSON ----

func (d *deletedItem) view() entityJSON {
	at := graphTime(d.deletedAt)
	if d.pki != nil {
		v := d.pki.view()
		v.DeletedDateTime = &at
		return &v
	}
	v := d.ca.view()
	v.DeletedDateTime = &at
	return &v
}

// ---- routes: /directory/deletedItems ----

func (e *Emulator) routeDeletedItems(c *call, rest []string) {
	switch {
	case len(rest) == 0:
		// "calling GET /directory/deleteditems without a type is not supported" (directory-deleteditems-list).
		c.badRequest("The OData cast type is a required part of the URI for deleted items, e.g. /directory/deletedItems/microsoft.graph.certificateBasedAuthPki.")
	case len(rest) == 1 && (strings.EqualFold(rest[0], castPKI) || strings.EqualFold(rest[0], castCA)):
		pkis := strings.EqualFold(rest[0], castPKI)
		c.dispatch(handler{http.MethodGet, func(c *call) { e.listDeletedItems(c, pkis) }})
	default:
		collection{get: e.getDeletedItem, del: e.purgeDeletedItem,
			actions: map[string]func(*call, string){"restore": e.restoreDeletedItem}}.route(c, rest)
	}
}

func (e *Emulator) listDeletedItems(c *call, pkis bool) {
	l, ok := c.startList()
	if !ok {
		return
	}
	e.mu.Lock()
	b := e.bin()
	b.expire(e.clk.Now())
	for _, id := range b.order {
		if d := b.items[id]; (d.pki != nil) == pkis {
			l.add(d.displayName(), func() any { return d.view() })
		}
	}
	e.mu.Unlock()
	cast := "microsoft.graph.certificateAuthorityDetail"
	if pkis {
		cast = "microsoft.graph.certificateBasedAuthPki"
	}
	l.answer("directory/deletedItems/" + cast)
}

// lockDeleted takes e.mu and finds the deleted item, not yet past its retention. When there is none it lets go of
// e.mu, answers 404 and returns nil; otherwise the caller holds e.mu.
func (e *Emulator) lockDeleted(c *call, id string) (*deletedItem, time.Time) {
	e.mu.Lock()
	now := e.clk.Now()
	b := e.bin()
	b.expire(now)
	d := b.items[normID(id)]
	if d == nil {
		e.mu.Unlock()
		c.objectNotFound(id)
	}
	return d, now
}

func (e *Emulator) getDeletedItem(c *call, id string) {
	d, _ := e.lockDeleted(c, id)
	if d == nil {
		return
	}
	v := d.view()
	e.mu.Unlock()
	c.entity(http.StatusOK, "directoryObjects/$entity", v)
}

func (e *Emulator) purgeDeletedItem(c *call, id string) {
	if d, _ := e.lockDeleted(c, id); d == nil {
		return
	}
	e.bin().take(id)
	e.mu.Unlock()
	c.noContent()
}

// restoreDeletedItem brings the object back with its id: a PKI with its CAs and their settings, a CA into its PKI.
// Graph answers 200 with the directoryObject.
func (e *Emulator) restoreDeletedItem(c *call, id string) {
	d, now := e.lockDeleted(c, id)
	if d == nil {
		return
	}
	var v entityJSON
	if d.pki != nil {
		p := d.pki
		p.visibleAt = now
		e.pkis[p.id] = p
		e.pkiOrder = append(e.pkiOrder, p.id)
		e.settle(p, now)
		pv := p.view()
		v = &pv
	} else {
		p := e.writablePKI(d.pkiID, now)
		switch {
		case p == nil:
			e.mu.Unlock()
			c.badRequest("The certificate authority '%s' cannot be restored: its PKI '%s' does not exist. Restore the PKI first.", d.ca.id, d.pkiID)
			return
		case p.caByThumbprint(d.ca.thumbprint) != nil:
			e.mu.Unlock()
			c.badRequest("Duplicate Certificate exists: PKI '%s' holds a certificate with thumbprint %s again.", p.id, d.ca.thumbprint)
			return
		}
		p.cas = append(p.cas, d.ca)
		p.lastModified = now
		cv := d.ca.view()
		v = &cv
	}
	e.bin().take(id)
	e.mu.Unlock()
	c.entity(http.StatusOK, "directoryObjects/$entity", v)
}
