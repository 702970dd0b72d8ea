import { levelColors, mix } from "@beacon/core/charts/scene";
import { parseNetworkCsv } from "@beacon/core/network/load-csv";
import { buildNetwork, type Network } from "@beacon/core/network/network";
import { randomNetwork } from "@beacon/core/network/random-network";
import { useEffect, useMemo, useRef, useState } from "react";
import { useI18n } from "../../i18n/i18n.ts";
import { cascadeRounds } from "../../lib/cascade.ts";
import { Card, Field, Stat } from "../../ui/common.tsx";
import { ForceGraph } from "../../ui/force-graph.tsx";

/**
 * Choose a shock (which institutions fail, or lose part of their capital) and watch it spread round by round
 * over an interbank network: an example network, or nodes and exposures files in the `beacon contagion` format.
 */
export function ContagionSimulator() {
  const { t, num, pct } = useI18n();
  const [net, setNet] = useState<Network>(() => randomNetwork({ nodes: 36, exposures: 110, seed: 7 }));
  const [source, setSource] = useState<string>(t("networks.exampleNetwork"));
  const [shocked, setShocked] = useState<Set<number>>(new Set([0]));
  const [share, setShare] = useState(1);
  const [round, setRound] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const nodesFile = useRef<HTMLInputElement>(null);
  const exposuresFile = useRef<HTMLInputElement>(null);
  const rounds = useMemo(() => cascadeRounds(net, shocked, share), [net, shocked, share]);
  // A new shock starts its cascade from the first round.
  const [shownFor, setShownFor] = useState(rounds);
  if (shownFor !== rounds) {
    setShownFor(rounds);
    setRound(0);
  }
  const last = rounds.length - 1;
  const shown = rounds[Math.min(round, last)]!;
  useEffect(() => {
    if (!playing) return;
    if (round >= last) {
      setPlaying(false);
      return;
    }
    const id = setTimeout(() => setRound((r) => r + 1), 700);
    return () => clearTimeout(id);
  }, [playing, round, last]);
  const totalCapital = useMemo(() => net.capital.reduce((s, c) => s + Math.max(0, c), 0), [net]);
  const nodes = net.ids.map((id, i) => {
    const s = shown.stress[i]!;
    const color =
      s >= 1 - 1e-12 ? levelColors.red! : s > 0 ? mix(levelColors.orange!, 0.25 + 0.75 * s) : "#90a4ae";
    return {
      id: String(i),
      label: id,
      color,
      size:
        5 +
        Math.min(
          9,
          Math.sqrt(Math.max(0, net.weight[i]!) / (net.weight.reduce((a, b) => a + b, 0) / net.size)) * 4,
        ),
      title: t("networks.nodeStress", {
        id,
        stress: pct(s, 0),
        shocked: shocked.has(i) ? t("networks.shocked") : "",
      }),
    };
  });
  const edges: { source: string; target: string }[] = [];
  for (let i = 0; i < net.size; i++) {
    for (let k = net.assetStart[i]!; k < net.assetStart[i + 1]!; k++)
      edges.push({ source: String(net.assetBorrower[k]!), target: String(i) });
  }
  const loadFiles = async () => {
    setLoadError(null);
    const n = nodesFile.current?.files?.[0];
    const e = exposuresFile.current?.files?.[0];
    if (!n || !e) {
      setLoadError(t("networks.needBothFiles"));
      return;
    }
    try {
      const input = parseNetworkCsv(
        { name: n.name, text: await n.text() },
        { name: e.name, text: await e.text() },
      );
      if (input.nodes.length > 400)
        throw new Error(t("networks.tooLarge", { count: num(input.nodes.length) }));
      setNet(buildNetwork(input));
      setShocked(new Set([0]));
      setSource(`${n.name} + ${e.name}`);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
    }
  };
  const toggle = (i: number) =>
    setShocked((s) => {
      const next = new Set(s);
      if (next.has(i)) next.delete(i);
      else next.add(i);
      return next;
    });
  return (
    <div className="split">
      <Card title={t("networks.shock")}>
        <p className="small">{t("networks.simulatorHint")}</p>
        <p className="small muted">
          {t("networks.source", { source, nodes: num(net.size), edges: num(net.exposureCount) })}
        </p>
        <Field label={t("networks.shockedInstitutions")}>
          <select
            multiple
            size={8}
            value={[...shocked].map(String)}
            onChange={(e) => setShocked(new Set([...e.target.selectedOptions].map((o) => Number(o.value))))}
          >
            {net.ids.map((id, i) => (
              <option key={id} value={i}>
                {id}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("networks.shockSize", { share: pct(share, 0) })}>
          <input
            type="range"
            min={0.1}
            max={1}
            step={0.05}
            value={share}
            onChange={(e) => setShare(Number(e.target.value))}
          />
        </Field>
        <div className="button-row">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setRound(0);
              setPlaying(true);
            }}
          >
            {t("networks.play")}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setPlaying(false);
              setRound(last);
            }}
          >
            {t("networks.end")}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setPlaying(false);
              setRound(0);
            }}
          >
            {t("networks.reset")}
          </button>
        </div>
        <Field label={t("networks.round", { round: num(Math.min(round, last)), rounds: num(last) })}>
          <input
            type="range"
            min={0}
            max={last}
            step={1}
            value={Math.min(round, last)}
            onChange={(e) => {
              setPlaying(false);
              setRound(Number(e.target.value));
            }}
          />
        </Field>
        <div className="stats">
          <Stat
            label={t("networks.defaulted")}
            value={num(shown.defaulted)}
            tone={shown.defaulted > shocked.size ? "bad" : undefined}
          />
          <Stat
            label={t("networks.capitalLost")}
            value={pct(totalCapital ? shown.loss / totalCapital : 0, 1)}
          />
        </div>
        <details>
          <summary>{t("networks.loadFiles")}</summary>
          <Field label={t("networks.nodesFile")}>
            <input ref={nodesFile} type="file" accept=".csv,text/csv" />
          </Field>
          <Field label={t("networks.exposuresFile")}>
            <input ref={exposuresFile} type="file" accept=".csv,text/csv" />
          </Field>
          <button type="button" className="btn" onClick={() => void loadFiles()}>
            {t("networks.load")}
          </button>
          {loadError ? (
            <p className="bad-text" role="alert">
              {loadError}
            </p>
          ) : null}
          <p className="small muted">{t("networks.fileFormat")}</p>
        </details>
      </Card>
      <Card title={t("networks.cascade")}>
        <ForceGraph
          label={t("networks.cascade")}
          nodes={nodes}
          edges={edges}
          directed
          width={620}
          height={460}
          onSelect={(id) => toggle(Number(id))}
          showLabels={net.size <= 60}
        />
        <p className="card-note" aria-live="polite">
          {t("networks.roundSummary", {
            round: num(Math.min(round, last)),
            defaulted: num(shown.defaulted),
            lost: pct(totalCapital ? shown.loss / totalCapital : 0, 1),
          })}
        </p>
      </Card>
    </div>
  );
}
