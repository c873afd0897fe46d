import { render } from 'preact';
import { localizePage } from '@/components/i18n';
import { App } from './App';
import './style.css';

localizePage('extName');
render(<App />, document.getElementById('app')!);
