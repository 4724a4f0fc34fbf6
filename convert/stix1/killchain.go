package stix1

import (
	"slices"
	"strings"
)

// phaseName is a kill chain phase as STIX 2.1 writes it (section 2.8):
// lower case, hyphens between words.
type phaseName struct{ chain, phase string }

// phaseRef is a stixCommon:Kill_Chain_Phase reference.
type phaseRef struct {
	chainID, phaseID, chainName, name, path string
}

// lmco is the Lockheed Martin kill chain that STIX 1.x tools define with
// fixed ids (stix:TTP-af3e707f-2fb9-49e5-8c37-14026ca0a5ff), so that a
// reference by phase_id resolves without the definition.
const lmcoChain = "lockheed-martin-cyber-kill-chain"

var lmcoPhases = map[string]string{
	"af1016d6-a744-4ed7-ac91-00fe2272185a": "reconnaissance",
	"445b4827-3cca-42bd-8421-f2e947133c16": "weaponization",
	"79a0e041-9d5f-49bb-ada4-8322622b162d": "delivery",
	"f706e4e7-53d8-44ef-967f-81535c9db7d0": "exploitation",
	"e1e4e3f7-be3b-4b39-b80a-a593cfd99a4f": "installation",
	"d6dc32b9-2538-4951-8733-3cb9ef1daae2": "command-and-control",
	"786ca8f9-2d9a-4213-b38e-399af4a2e5d6": "actions-on-objectives",
}

// normName writes a kill chain or phase name as STIX 2.1 recommends.
func normName(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	switch s {
	case "lm cyber kill chain", "lmco", "lockheed martin cyber kill chain":
		return lmcoChain
	}
	return strings.NewReplacer(" ", "-", "_", "-").Replace(s)
}

// killChains reads stix:TTPs/stix:Kill_Chains: the definitions that phase
// references name by phase_id. What waited for them is tried again.
func (c *conv) killChains(_ *cctx, n *node) {
	for _, kc := range n.all("Kill_Chain") {
		chain := normName(kc.attr("name"))
		if chain == "" {
			chain = normName(kc.attr("definer"))
		}
		if id := kc.attr("id"); id != "" && chain != "" {
			c.chains[id] = chain
		}
		for _, p := range kc.all("Kill_Chain_Phase") {
			if pid, name := p.attr("phase_id"), normName(p.attr("name")); pid != "" && name != "" && chain != "" {
				c.phases[pid] = phaseName{chain, name}
			}
		}
		c.rest(kc, "kill-chain")
		c.count("kill-chain")
	}
	c.rest(n, "kill-chain")
	c.retry(false)
}

// killChainPhases adds the kill_chain_phases of a Kill_Chain_Phases
// element to d. A phase that names only a phase_id waits for its
// definition; at the end of the input an undefined one is reported.
func (c *conv) killChainPhases(d *draft, n *node, construct string) {
	if n == nil {
		return
	}
	var refs []phaseRef
	for _, p := range n.all("Kill_Chain_Phase") {
		refs = append(refs, phaseRef{
			chainID: p.attr("kill_chain_id"), phaseID: p.attr("phase_id"),
			chainName: p.attr("kill_chain_name"), name: p.attr("name"), path: p.path(),
		})
	}
	c.rest(n, construct)
	if len(refs) == 0 {
		return
	}
	d.late("kill_chain_phases", false, func(final bool) ([]byte, bool) {
		var seen []phaseName
		var items [][]byte
		for _, r := range refs {
			p, ok := c.resolvePhase(r)
			if !ok {
				if !final {
					return nil, false
				}
				c.skip(r.path, construct, "the kill chain phase "+quoteText(r.phaseID+r.name)+" is defined nowhere in the input; not converted")
				continue
			}
			if slices.Contains(seen, p) {
				continue
			}
			seen = append(seen, p)
			items = append(items, (&jobj{}).str("kill_chain_name", p.chain).str("phase_name", p.phase).bytes())
		}
		if len(items) == 0 {
			return nil, true
		}
		return jlist(items), true
	})
}

// resolvePhase names a phase reference: by the definition of its
// phase_id, the Lockheed Martin chain, or its own name and kill chain
// name.
func (c *conv) resolvePhase(r phaseRef) (phaseName, bool) {
	if p, ok := c.phases[r.phaseID]; ok && r.phaseID != "" {
		return p, true
	}
	for id, name := range lmcoPhases {
		if strings.HasSuffix(r.phaseID, id) {
			return phaseName{lmcoChain, name}, true
		}
	}
	chain := normName(r.chainName)
	if chain == "" {
		chain = c.chains[r.chainID]
	}
	if name := normName(r.name); name != "" && chain != "" {
		return phaseName{chain, name}, true
	}
	return phaseName{}, false
}
