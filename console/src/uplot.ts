// uPlot with its stylesheet, loaded on demand by chart.tsx.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export default uPlot;
