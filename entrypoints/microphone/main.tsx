import { render } from 'preact';
import { App } from './App';
import '../popup/style.css';

document.documentElement.lang = browser.i18n.getUILanguage();
document.title = browser.i18n.getMessage('micPageTitle');
render(<App />, document.getElementById('app')!);
