import { render } from 'preact';
import { localizePage } from '@/components/i18n';
import { App } from './App';
import '../popup/style.css';
import './style.css';

localizePage('panelPageTitle');
render(<App />, document.getElementById('app')!);
