// A time-series chart drawn by uPlot (canvas), sized to its container, with its data also listed in a table
// for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import type uPlot from 'uplot';

// uPlot and its styles load with the first chart, not with the console.
const loadUPlot = () => import('./uplot.ts').then((module) => module.default);

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  /** A second y axis on the right (e.g. cost next to tokens). */
  right?: boolean;
  format?: (value: number) => string;
}

export function TimeChart(props: {
  title: string;
  times: number[];
  series: Series[];
  height?: number;
  /** The left axis reaches at least this (an all-zero error rate would otherwise span uPlot's 0-100, "10000%"). */
  minTop?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const data = [props.times, ...props.series.map((s) => s.values)] as uPlot.AlignedData;

  useEffect(() => {
    const element = box.current!;
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    const hasRight = props.series.some((s) => s.right);
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth),
      height: props.height ?? 200,
      series: [
        {},
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: `${s.color}22`,
          scale: s.right ? 'right' : 'y',
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : s.format ? s.format(v) : String(v)),
        })),
      ],
      axes: [
        {},
        {
          scale: 'y',
          // Room for labels like "100.0%" and "1500 ms".
          size: 72,
          values: (_u, ticks) =>
            ticks.map((t) => (props.series[0]?.format ? props.series[0].format(t) : String(t))),
        },
        ...(hasRight
          ? [
              {
                scale: 'right',
                side: 1 as const,
                size: 72,
                grid: { show: false },
                values: (_u: uPlot, ticks: number[]) => {
                  const format = props.series.find((s) => s.right)?.format;
                  return ticks.map((t) => (format ? format(t) : String(t)));
                },
              },
            ]
          : []),
      ],
      scales: {
        x: { time: true },
        ...(props.minTop === undefined
          ? {}
          : { y: { range: (_u: uPlot, _min: number, max: number) => [0, Math.max(max, props.minTop!)] } }),
      },
    };
    void loadUPlot().then((UPlot) => {
      if (cancelled) return;
      plot.current = new UPlot(options, data, element);
      observer = new ResizeObserver(() =>
        plot.current?.setSize({ width: Math.max(280, element.clientWidth), height: props.height ?? 200 }),
      );
      observer.observe(element);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
    // The chart is rebuilt when its series change; new data alone goes through setData below.
  }, [props.series.map((s) => s.label).join('|')]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  const total = props.series.map((s) => s.values.reduce<number>((sum, v) => sum + (v ?? 0), 0));
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} class="chart-canvas" role="img" aria-label={`${props.title} chart`} />
      <details class="chart-data">
        <summary>Data</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              {props.series.map((s) => (
                <th key={s.label} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.times.map((time, row) => (
              <tr key={time}>
                <td>{new Date(time * 1000).toLocaleString()}</td>
                {props.series.map((s) => (
                  <td key={s.label}>
                    {s.values[row] == null ? '—' : s.format ? s.format(s.values[row]!) : s.values[row]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p class="hint">
          Sums:{' '}
          {props.series.map((s, i) => `${s.label} ${s.format ? s.format(total[i]!) : total[i]}`).join(' · ')}
        </p>
      </details>
    </figure>
  );
}
