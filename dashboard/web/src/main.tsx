// The dashboard's entry point: find out who is signed in, then show the page the URL asks for.
import { render } from 'preact';
import { App } from './app.js';
import './styles.css';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
